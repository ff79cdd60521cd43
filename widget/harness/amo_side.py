"""What amoCRM itself does around the widget that the harness must do too.

Saving a Digital Pipeline action puts it on its stage (amoCRM then POSTs the hook whenever a
lead enters that stage): here the action is registered with the emulator, whose DP triggers
send the same hook to the local gateway. Moving a deal to a stage is what a user does in the
pipeline view; here a control of the card page does it through the emulator, so a person can
fire a DP action from `make dev`.
"""

from __future__ import annotations

from typing import Any

from devstack.http import HTTP


def _control(emulator_url: str, method: str, path: str, body: Any = None) -> Any:
    """One call to the emulator's control API (what amoCRM does internally)."""
    answer = HTTP.request(method, f"{emulator_url}/_emulator{path}", json=body, timeout=15)
    answer.raise_for_status()
    return answer.json()


def dp_actions(emulator_url: str, account_id: int) -> list[dict[str, Any]]:
    """The account's DP actions (one per stage, as amoCRM draws them in the DP editor)."""
    return _control(emulator_url, "GET", f"/accounts/{account_id}/dp/triggers")


def save_dp_action(emulator_url: str, gateway_url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Registers (or updates) the action of one stage with the settings amoCRM saved from the dialog."""
    account_id = int(body["account_id"])
    pipeline_id, status_id = int(body["pipeline_id"]), int(body["status_id"])
    settings = {str(k): str(v) for k, v in (body.get("settings") or {}).items()}
    same_stage = [
        t
        for t in dp_actions(emulator_url, account_id)
        if (t["pipeline_id"], t["status_id"]) == (pipeline_id, status_id)
    ]
    if same_stage:
        path = f"/accounts/{account_id}/dp/triggers/{same_stage[0]['id']}"
        return _control(emulator_url, "PATCH", path, {"settings": settings})
    spec = {
        "pipeline_id": pipeline_id,
        "status_id": status_id,
        "url": f"{gateway_url.rstrip('/')}/dp/hook",
        "settings": settings,
    }
    return _control(emulator_url, "POST", f"/accounts/{account_id}/dp/triggers", spec)


def move_lead(emulator_url: str, body: dict[str, Any]) -> dict[str, Any]:
    """Moves a deal to a stage as a user would: the emulator records the event and fires DP actions."""
    move = {"pipeline_id": int(body["pipeline_id"]), "status_id": int(body["status_id"])}
    if body.get("user_id"):
        move["user_id"] = int(body["user_id"])
    return _control(
        emulator_url, "POST", f"/accounts/{int(body['account_id'])}/leads/{int(body['lead_id'])}/move", move
    )
