"""Photos the seller attaches while the form is still being filled in.

They are processed at once (re-encoded, metadata stripped) and only the
processed copies are kept, in the private "claim_drafts" storage under a key of
the form's own; the original upload never stays on disk. The wizard session
keeps their descriptions; submitting the claim copies them to evidence.
"""

import uuid
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from claims.choices import EvidenceKind
from claims.photo_metadata import photo_facts
from claims.photos import process_uploads
from claims.storage import save_whole

DRAFT_STORAGE_ALIAS = "claim_drafts"
# The wizard's formtools prefix: its answers and draft descriptions sit in the
# session under "wizard_<prefix>", where the draft photo page and the jobs that
# clean up after abandoned forms look for them.
WIZARD_PREFIX = "claim_wizard"
WIZARD_SESSION_KEY = f"wizard_{WIZARD_PREFIX}"
# One file input per evidence kind, named "photos-<kind>".
UPLOAD_FIELD_PREFIX = "photos-"


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


def session_drafts(session) -> list[DraftPhoto]:
    """The draft photos of the unfinished claim form in this session."""
    data = session.get(WIZARD_SESSION_KEY) or {}
    return [DraftPhoto.from_dict(p) for p in (data.get("extra_data") or {}).get("photos", [])]


def upload_limits() -> dict:
    """What a page that takes photos tells people before they choose them."""
    return {
        "max_photos": settings.CLAIM_MAX_PHOTOS,
        "max_megabytes": settings.CLAIM_MAX_PHOTO_BYTES // (1024 * 1024),
        "max_megapixels": settings.CLAIM_MAX_PHOTO_PIXELS // 1_000_000,
        "types": _("JPEG, PNG, WebP or HEIC"),
        "accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif",
    }


@dataclass(frozen=True)
class DraftsAdded:
    drafts: list[DraftPhoto]
    errors: list[str]
    added: dict[str, int]


def drafts_add_uploads(files, *, drafts: list[DraftPhoto], draft_key: str) -> DraftsAdded:
    """Process the photos posted to the wizard's photos step and keep them as drafts.

    `files` is the request's MultiValueDict, one input per kind. A field no page
    of ours has (a forged request) or more photos than the claim has room for
    adds nothing, and says so; otherwise each photo is refused (unreadable, or
    already added) or kept on its own. Returns every draft, the refusals and how
    many photos of each kind were added.
    """
    kinds = {kind for kind, _label in EvidenceKind.choices}
    uploads = []
    for field, chosen in files.lists():
        kind = field.removeprefix(UPLOAD_FIELD_PREFIX)
        if not field.startswith(UPLOAD_FIELD_PREFIX) or kind not in kinds:
            # Say so rather than drop the files silently.
            return DraftsAdded(
                drafts,
                [
                    _(
                        "These files were not sent from one of the photo boxes on this page, "
                        "so nothing was added. Choose the photos again below."
                    )
                ],
                {},
            )
        uploads += [(kind, f) for f in chosen]
    if not uploads:
        return DraftsAdded(drafts, [], {})
    room = settings.CLAIM_MAX_PHOTOS - len(drafts)
    if len(uploads) > room:
        return DraftsAdded(
            drafts,
            [
                _(
                    "A claim can have up to %(max)s photos. You have %(count)s: choose at most "
                    "%(room)s more, or remove some."
                )
                % {"max": settings.CLAIM_MAX_PHOTOS, "count": len(drafts), "room": max(room, 0)}
            ],
            {},
        )
    drafts = list(drafts)
    errors = []
    known = {d.sha256 for d in drafts}
    added: dict[str, int] = {}
    for result in process_uploads(uploads):
        if result.photo is None:
            errors.append(result.refusal)
            continue
        if result.photo.sha256 in known:
            errors.append(_("%(name)s: this photo is already added.") % {"name": result.name})
            continue
        known.add(result.photo.sha256)
        drafts.append(draft_save(draft_key=draft_key, kind=result.key, processed=result.photo))
        added[result.key] = added.get(result.key, 0) + 1
    return DraftsAdded(drafts, errors, added)


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
