"""May this user copy that lead there? Checked by us from `/api/v4/users`, before any write.

The integration's token belongs to the installing admin, so amoCRM would let every write
through; the widget acts for the user who pressed the button and must respect their rights.
Levels: A = all, G = own group's, M = own only, D = denied.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealcopy.copying.errors import CopyForbidden
from dealcopy.copying.metadata import AccountMetadata, UserInfo


@dataclass(frozen=True)
class LeadRef:
    """The facts about a lead that rights depend on."""

    id: int
    pipeline_id: int
    status_id: int
    responsible_user_id: int | None
    group_id: int | None = None


def _owner_group(lead: LeadRef, metadata: AccountMetadata) -> int | None:
    """The lead's group as amoCRM reports it, else its responsible user's group."""
    if lead.group_id:
        return lead.group_id
    owner = metadata.users.get(lead.responsible_user_id) if lead.responsible_user_id else None
    return owner.group_id if owner else None


def _level_allows(level: str | None, user: UserInfo, lead: LeadRef, metadata: AccountMetadata) -> bool:
    if level in (None, "A"):  # absent: amoCRM lists only restricted rights in some shapes (U)
        return True
    if level == "G":
        group = _owner_group(lead, metadata)
        return group is not None and group == user.group_id
    if level == "M":
        return lead.responsible_user_id == user.id
    return False  # D or anything unknown


def _active(metadata: AccountMetadata, user_id: int) -> UserInfo:
    user = metadata.users.get(user_id)
    if user is None:
        raise CopyForbidden("user-not-in-account", user_id=user_id)
    if not user.is_active:
        raise CopyForbidden("user-deactivated", user=user.name)
    return user


def check_can_view(metadata: AccountMetadata, user_id: int, lead: LeadRef) -> None:
    """The general lead view right and the one of the lead's stage must both allow it."""
    user = _active(metadata, user_id)
    if user.is_admin:
        return
    stage = user.status_rights.get((lead.pipeline_id, lead.status_id), {})
    if not (
        _level_allows(user.lead_rights.get("view"), user, lead, metadata)
        and _level_allows(stage.get("view"), user, lead, metadata)
    ):
        raise CopyForbidden("may-not-view-lead", user=user.name, lead_id=lead.id)


def check_can_add(metadata: AccountMetadata, user_id: int, pipeline_id: int, status_id: int) -> None:
    """Adding leads must be allowed, and editing in the target stage not denied."""
    user = _active(metadata, user_id)
    if user.is_admin:
        return
    if user.lead_rights.get("add") == "D":
        raise CopyForbidden("may-not-add-leads", user=user.name)
    if user.status_rights.get((pipeline_id, status_id), {}).get("edit") == "D":
        status = metadata.status(pipeline_id, status_id)
        pipeline = metadata.pipelines.get(pipeline_id)
        where = {"pipeline": pipeline.name if pipeline else pipeline_id, "status": status.name if status else status_id}
        raise CopyForbidden("may-not-work-in-stage", user=user.name, **where)


def check_copy_rights(
    metadata: AccountMetadata, user_id: int, source: LeadRef, pipeline_id: int, status_id: int
) -> None:
    """Raise `CopyForbidden` unless `user_id` may read `source` and add a lead into the target stage."""
    check_can_view(metadata, user_id, source)
    check_can_add(metadata, user_id, pipeline_id, status_id)
