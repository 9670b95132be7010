"""Photos the seller attaches while the form is still being filled in.

They are processed at once (re-encoded, metadata stripped) and only the
processed copies are kept, in the private "claim_drafts" storage under a key of
the form's own; the original upload never stays on disk. The wizard session
keeps their descriptions; submitting the claim copies them to evidence.
"""

import uuid
from dataclasses import asdict, dataclass

from django.core.files.storage import storages

from claims.photos import photo_facts
from claims.storage import save_whole

DRAFT_STORAGE_ALIAS = "claim_drafts"


def draft_storage():
    return storages[DRAFT_STORAGE_ALIAS]


@dataclass(frozen=True)
class DraftPhoto:
    id: str
    kind: str
    image_name: str
    thumbnail_name: str
    sha256: str
    width: int
    height: int
    original_format: str
    original_size: int
    phash: str = ""
    captured_at: str = ""
    camera: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "DraftPhoto":
        # A session written before a fact was added lacks it: its default stands.
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


def draft_save(*, draft_key: str, kind: str, processed) -> DraftPhoto:
    """Store a processed photo's two JPEGs as a draft of form `draft_key`."""
    photo_id = uuid.uuid4().hex
    storage = draft_storage()
    image_name = save_whole(storage, f"{draft_key}/{photo_id}.jpg", processed.display)
    try:
        thumbnail_name = save_whole(
            storage, f"{draft_key}/{photo_id}-thumb.jpg", processed.thumbnail
        )
    except Exception:
        storage.delete(image_name)
        raise
    return DraftPhoto(
        id=photo_id,
        kind=kind,
        image_name=image_name,
        thumbnail_name=thumbnail_name,
        **photo_facts(processed),
    )


def draft_delete(draft: DraftPhoto) -> None:
    storage = draft_storage()
    for name in (draft.image_name, draft.thumbnail_name):
        storage.delete(name)


def draft_purge_stale(*, older_than) -> int:
    """Delete draft photos of forms abandoned longer than `older_than` ago.

    A draft folder belongs to one unfinished form; once its newest file is older
    than the longest a session can live, nobody can submit it any more.
    Returns the number of files deleted.
    """
    from django.utils import timezone

    storage = draft_storage()
    cutoff = timezone.now() - older_than
    deleted = 0
    try:
        folders, _files = storage.listdir("")
    except FileNotFoundError:
        return 0
    for folder in folders:
        _sub, names = storage.listdir(folder)
        paths = [f"{folder}/{name}" for name in names]
        if all(storage.get_modified_time(path) < cutoff for path in paths):
            for path in paths:
                storage.delete(path)
                deleted += 1
    return deleted
