"""`make demo`: install the integration into the emulator's demo account through the real
OAuth handler, make real API calls through the shared client, then uninstall."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import httpx

from devstack.stack import LocalStack


def run_demo(out: Callable[[str], None] = print) -> int:
    started = time.monotonic()
    with LocalStack() as stack:
        from amo_emulator.control import EmulatorControl
        from dealcopy import wiring
        from dealcopy.install import uninstall_signature

        info = stack.describe()
        gateway = info["gateway_url"]
        out(f"Local stack up: gateway {gateway}, amoCRM emulator {info['emulator_url']}, moto {info['moto_url']}")
        control = EmulatorControl(info["emulator_url"])
        account = control.create_account("demo", demo=True)
        account_id = account["id"]
        out(f"1. Emulator account «{account['subdomain']}» (id {account_id}) with the manual's demo data")

        grant = control.install(account_id, info["client_id"])
        params = {
            "code": grant["code"],
            "referer": grant["referer"],
            "client_id": info["client_id"],
            "from_widget": 1,
        }
        first = httpx.get(f"{gateway}/oauth/callback", params=params)
        second = httpx.get(f"{gateway}/oauth/callback", params=params)  # amoCRM's webhook repeats the call
        out(
            f"2. Admin installs the widget: /oauth/callback -> {first.status_code}, "
            f"repeated call -> {second.status_code}"
        )
        if first.status_code != 200 or second.status_code != 200:
            out(first.text)
            return 1

        stored = wiring.accounts().get(account_id)
        out(
            f"3. Stored account {stored.account_id}: {stored.domain}, status {stored.status.value}, "
            f"trial until {time.strftime('%Y-%m-%d', time.gmtime(stored.trial_until))}"
        )
        api = wiring.client_for(stored)
        amo_account = api.get("/api/v4/account")
        pipelines = list(api.paginate("/api/v4/leads/pipelines", "pipelines"))
        users = list(api.paginate("/api/v4/users", "users"))
        out(f"4. API through the shared client: account «{amo_account['name']}», {len(users)} users, pipelines:")
        for pipeline in pipelines:
            stages = ", ".join(s["name"] for s in pipeline["_embedded"]["statuses"])
            out(f"     {pipeline['name']}: {stages}")
        stats = control.stats(account_id)
        out(
            f"   amoCRM saw {stats.get('total')} requests, max {stats.get('max_per_second')} in any second, "
            f"{stats.get('rate_limited', 0)} answered 429"
        )

        signature = uninstall_signature(info["client_secret"], info["client_id"], str(account_id))
        gone = httpx.get(
            f"{gateway}/oauth/uninstall",
            params={"account_id": account_id, "client_uuid": info["client_id"], "signature": signature},
        )
        forged = httpx.get(
            f"{gateway}/oauth/uninstall",
            params={"account_id": account_id, "client_uuid": info["client_id"], "signature": "0" * 64},
        )
        out(
            f"5. Uninstall hook: forged signature -> {forged.status_code}, genuine -> {gone.status_code}; "
            f"account is now {wiring.accounts().get(account_id).status.value}"
        )
    out(f"Done in {time.monotonic() - started:.1f} s; everything stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(run_demo())
