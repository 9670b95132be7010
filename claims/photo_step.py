"""The wizard's photos step: the seller's photos kept as drafts (`claims.drafts`)
while the form is filled in, one slot per kind of evidence, and what the page
says after an upload or a removal.

A mixin of `claims.wizard.ClaimWizard`, which gives it the wizard's `extra`
session data, `evidence_rules()`, `render`, `get_form`, `get_step_url` and `_is_xhr`.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from claims.choices import EvidenceKind
from claims.drafts import (
    UPLOAD_FIELD_PREFIX,
    DraftPhoto,
    draft_delete,
    drafts_add_uploads,
    upload_limits,
)

__all__ = ["PhotoStepMixin"]


class PhotoStepMixin:
    def drafts(self) -> list[DraftPhoto]:
        return [DraftPhoto.from_dict(p) for p in self.extra["photos"]]

    def _set_drafts(self, drafts: list[DraftPhoto]) -> None:
        extra = self.extra
        extra["photos"] = [d.to_dict() for d in drafts]
        self.storage.extra_data = extra

    def _photo_context(self, upload_errors) -> dict:
        drafts = self.drafts()
        rules = {r.kind: r for r in self.evidence_rules()}
        notice = self._pop_photo_notice()
        added = notice.get("added") or {}
        focus_kind = next((k for k, _label in EvidenceKind.choices if k in added), "")
        if not focus_kind and not upload_errors:
            focus_kind = notice.get("removed", "")
        slots = []
        for kind, label in EvidenceKind.choices:
            rule = rules.get(kind)
            slots.append(
                {
                    "kind": kind,
                    "label": label,
                    "field": f"{UPLOAD_FIELD_PREFIX}{kind}",
                    "choose_label": (
                        _("Choose other photos")
                        if kind == EvidenceKind.OTHER
                        else _("Choose photos of %(what)s") % {"what": str(label).lower()}
                    ),
                    "required": bool(rule and rule.required),
                    "encouraged": bool(rule and not rule.required),
                    "reason": rule.reason if rule else "",
                    "photos": [d for d in drafts if d.kind == kind],
                    "added": added.get(kind, 0),
                    "removed": notice.get("removed") == kind,
                    # One focus: the first slot the notice speaks of, unless the
                    # error summary has it.
                    "focus": kind == focus_kind and not upload_errors,
                }
            )
        return {
            "slots": slots,
            "limits": upload_limits(),
            "photo_count": len(drafts),
            "upload_errors": upload_errors,
        }

    def _handle_photo_actions(self):
        """Remove or upload photos; returns a response unless it is a plain Continue."""
        remove_id = self.request.POST.get("remove")
        if remove_id:
            drafts = self.drafts()
            keep = [d for d in drafts if d.id != remove_id]
            for draft in drafts:
                if draft.id == remove_id:
                    draft_delete(draft)
                    self._set_photo_notice({"removed": draft.kind})
            self._set_drafts(keep)
            return redirect(self.get_step_url("photos"))

        errors, added = self._process_uploads()
        action = self.request.POST.get("action")
        if self._is_xhr():
            return JsonResponse(
                {"ok": not errors, "added": added, "errors": errors}, status=400 if errors else 200
            )
        if errors:
            return self.render(
                self.get_form(step="photos", data=self.request.POST),
                status=400,
                upload_errors=errors,
            )
        if action == "upload":
            return redirect(self.get_step_url("photos"))
        return None

    def _set_photo_notice(self, notice: dict) -> None:
        """What the next photos page says, and focuses, beside the photos it is about.

        A reload after an upload (the form's, or the script's after its last
        file) would otherwise leave a keyboard or screen reader user on the
        body with nothing said. The script's uploads add to one tally, so
        two files are "2 photos added", not two messages.
        """
        extra = self.extra
        current = extra.get("photo_notice") or {}
        if "added" in notice:
            added = dict(current.get("added") or {})
            for kind, count in notice["added"].items():
                added[kind] = added.get(kind, 0) + count
            notice = {"added": added}
        extra["photo_notice"] = notice
        self.storage.extra_data = extra

    def _pop_photo_notice(self) -> dict:
        extra = self.extra
        notice = extra.pop("photo_notice", None) or {}
        if notice:
            self.storage.extra_data = extra
        return notice

    def _process_uploads(self) -> tuple[list[str], int]:
        result = drafts_add_uploads(
            self.request.FILES, drafts=self.drafts(), draft_key=self.extra["draft_key"]
        )
        self._set_drafts(result.drafts)
        if result.added:
            self._set_photo_notice({"added": result.added})
        return result.errors, sum(result.added.values())
