"""`make demo`: the product end to end on the local stack, in a minute.

1. the emulator's demo account (the manual's pipelines, users, catalogs, deal #24002811);
2. an admin installs the widget: the real OAuth handler, called twice as amoCRM does;
3. real amoCRM calls through the shared client;
4. manual copies through the gateway with a signed one-time token (manual 6.1, 6.2+6.3, 6.7),
   printed side by side with their source;
5. a Digital Pipeline copy (manual 6.6): the admin's rule signed by the backend, the action put on
   a stage, a manager moves the deal there, amoCRM (the emulator) posts the hook, the hook goes to
   the SQS FIFO queue, the worker copies; the same hook again changes nothing;
6. «Повторные сделки» (`demo_schedules`): a delayed renewal copy and a monthly repeat firing three times;
7. the uninstall hook, forged and genuine.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from devstack.client import StackInfo, call_widget, dp_hook_form, install_via_oauth, post_dp_hook, wait_idle
from devstack.http import HTTP
from devstack.stack import LocalStack, StackConfig

SOURCE_LEAD = 24002811
Out = Callable[[str], None]


def run_demo(out: Out = print, config: StackConfig | None = None) -> int:
    started = time.monotonic()
    with LocalStack(config) as stack:
        from amo_emulator.control import EmulatorControl

        info = stack.describe()
        out(
            f"Local stack up: gateway {info['gateway_url']}, "
            f"amoCRM emulator {info['emulator_url']}, moto {info['moto_url']}"
        )
        if stack.config.built_dir:
            out(f"   functions: the built artifact {stack.config.built_dir}, run by {stack.config.runtime_python}")
        ready = StackInfo.from_ready(info)
        control = EmulatorControl(info["emulator_url"])
        account = control.create_account("demo", demo=True)
        out(f"1. Emulator account «{account['subdomain']}» (id {account['id']}) with the manual's demo data")
        if not install(ready, control, account, out):
            return 1
        call_amocrm(control, account["id"], out)
        if not make_copies(ready, control, account, out):
            return 1
        if not digital_pipeline(ready, control, account, out):
            return 1
        from devstack.demo_schedules import scheduled_copies

        if not scheduled_copies(stack, ready, control, account, out):
            return 1
        uninstall(ready, account["id"], out)
    out(f"Done in {time.monotonic() - started:.1f} s; everything stopped.")
    return 0


def install(stack: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    from dealcopy import wiring

    # amoCRM's webhook repeats the redirect: the second call must succeed too.
    first, second = install_via_oauth(stack, control, account, calls=2, from_widget=1)
    out(f"2. Admin installs the widget: /oauth/callback -> {first.status_code}, repeated call -> {second.status_code}")
    if (first.status_code, second.status_code) != (200, 200):
        out(first.text)
        return False
    stored = wiring.accounts().get(account["id"])
    trial = time.strftime("%Y-%m-%d", time.gmtime(stored.trial_until))
    out(f"   stored account {stored.account_id}: {stored.domain}, status {stored.status.value}, trial until {trial}")
    return True


def call_amocrm(control: Any, account_id: int, out: Out) -> None:
    from dealcopy import wiring

    api = wiring.client_for(wiring.accounts().get(account_id))
    amo_account = api.get("/api/v4/account")
    pipelines = list(api.paginate("/api/v4/leads/pipelines", "pipelines"))
    users = list(api.paginate("/api/v4/users", "users"))
    out(f"3. API through the shared client: account «{amo_account['name']}», {len(users)} users, pipelines:")
    for pipeline in pipelines:
        stages = ", ".join(s["name"] for s in pipeline["_embedded"]["statuses"] if s["type"] == 0)
        out(f"     {pipeline['name']}: {stages}")
    stats = control.stats(account_id)
    out(
        f"   amoCRM saw {stats['api_total']} API requests, max {stats['max_per_second']} in any second, "
        f"{stats['status_429']} answered 429"
    )


def make_copies(stack: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    from amo_emulator.seed_demo import USERS, pipeline_id, status_id

    def target(pipeline: str, stage: str) -> dict[str, int]:
        return {"pipeline_id": pipeline_id(pipeline), "status_id": status_id(pipeline, stage)}

    scenarios = [
        ("6.1 same pipeline", {**target("Воронка", "Принимают решение")}),
        (
            "6.2+6.3 Яндекс, new responsible",
            {
                **target("Яндекс", "Первичный контакт"),
                "responsible": {"mode": "fixed", "user_id": USERS["Иванов Иван Иванович"]},
                "catalogs": [],
                "copy_company": False,
            },
        ),
        (
            "6.7 anonymised for a partner",
            {
                **target("Партнёры", "Новая заявка"),
                "anonymise": True,
                "name_template": "Заявка партнёру по сделке #{id}",
            },
        ),
    ]
    out("4. Manual copies through the gateway (one-time token signed like amoCRM's $authorizedAjax):")
    columns = [("source", control.lead(account["id"], SOURCE_LEAD))]
    for title, rule in scenarios:
        answer = call_widget(
            stack,
            "POST",
            "/copies",
            account,
            json={"lead_id": SOURCE_LEAD, "rule": rule, "idempotency_key": str(uuid.uuid4())},
        )
        if answer.status_code != 201:
            out(f"   {title}: HTTP {answer.status_code} {answer.text}")
            return False
        result = answer.json()
        out(f"   {title}: #{result['lead_id']} {result['url']} ({len(result['skipped'])} items skipped with reasons)")
        columns.append((title.split()[0], control.lead(account["id"], result["lead_id"])))
    columns[0] = ("source", control.lead(account["id"], SOURCE_LEAD))  # now with a note per copy
    print_side_by_side(columns, control.state(account["id"]), out)
    return True


def print_side_by_side(columns: list[tuple[str, dict[str, Any]]], state: dict[str, Any], out: Out) -> None:
    from amo_emulator.seed_demo import PIPELINES, USERS

    pipelines = {pid: name for name, (pid, _) in PIPELINES.items()}
    statuses = {
        s["id"]: s["name"] for p in state.get("pipelines", []) for s in p.get("_embedded", {}).get("statuses", [])
    }
    users = {uid: name for name, uid in USERS.items()}

    def links(lead: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        return [link for link in lead.get("links", []) if link["to_entity_type"] == kind]

    rows = [
        ("name", lambda lead: lead["name"][:34]),
        ("pipeline", lambda lead: pipelines.get(lead["pipeline_id"], lead["pipeline_id"])),
        ("stage", lambda lead: statuses.get(lead["status_id"], lead["status_id"])),
        ("responsible", lambda lead: users.get(lead["responsible_user_id"], lead["responsible_user_id"])),
        ("budget", lambda lead: lead.get("price") or "—"),
        (
            "contacts (main)",
            lambda lead: (
                f"{len(links(lead, 'contacts'))} "
                f"({sum(1 for c in links(lead, 'contacts') if (c.get('metadata') or {}).get('main_contact'))})"
            ),
        ),
        ("company", lambda lead: len(links(lead, "companies")) or "—"),
        ("catalog elements", lambda lead: len(links(lead, "catalog_elements")) or "—"),
        ("custom fields", lambda lead: len(lead.get("custom_fields_values") or [])),
        ("notes", lambda lead: len(lead.get("notes") or [])),
    ]
    width = 36
    out("   " + "".join(f"{name:<{width}}" for name in ["", *[c[0] for c in columns]]))
    for label, value in rows:
        out("   " + f"{label:<{width}}" + "".join(f"{value(lead)!s:<{width}}" for _, lead in columns))


def digital_pipeline(stack: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    from amo_emulator.seed_demo import CATALOGS, FIELD, PIPELINES, USERS, pipeline_id, status_id
    from dealcopy import wiring

    trigger = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
    target = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}
    rule = {
        **target,
        "responsible": {"mode": "fixed", "user_id": USERS["Артем Иванович"]},
        "fields": sorted(FIELD[n] for n in ("Спецификация", "Услуги", "Срочно", "Дата отгрузки", "Адрес")),
        "catalogs": [CATALOGS["Товары"]],
        "copy_tags": False,
    }
    answer = call_widget(stack, "POST", "/widget/dp/sign", account, json={"rule": rule}, timeout=30)
    if answer.status_code != 200:
        out(f"5. /widget/dp/sign: HTTP {answer.status_code} {answer.text}")
        return False
    signed = answer.json()
    out(
        "5. Digital Pipeline (manual 6.6): the admin's rule signed by /widget/dp/sign "
        f"(signature {signed['signature'][:12]}…); the action is put on «Воронка / Оплачен счёт»"
    )
    control.add_dp_trigger(
        account["id"], **trigger, url=f"{stack.gateway_url}/dp/hook", settings=signed, encoding="form"
    )
    store = wiring.job_records()
    started = time.monotonic()
    control.move_lead(account["id"], SOURCE_LEAD, *trigger.values())
    out(f"   a manager moves deal #{SOURCE_LEAD} to «Оплачен счёт»: amoCRM posts the hook, form-encoded")
    record = None
    give_up = time.monotonic() + 30
    while record is None and time.monotonic() < give_up:
        record = next((r for r in store.list_jobs(account["id"], "dp-") if r.terminal), None)
        time.sleep(0.1)
    hooks = control.dp_hooks(account["id"])
    if record is None or record.state.value != "done" or not hooks:
        out(f"   the DP job did not finish: {record}")
        return False
    elapsed = time.monotonic() - started
    copy = control.lead(account["id"], record.copy_id)
    stages = {pid: name for name, (pid, _) in PIPELINES.items()}
    users = {uid: name for name, uid in USERS.items()}
    out(
        f"   hook -> {hooks[-1]['status_code']} at once -> SQS FIFO (group {account['id']}) -> worker -> "
        f"copy #{copy['id']} in «{stages[copy['pipeline_id']]}», responsible {users[copy['responsible_user_id']]}, "
        f"{len(copy['links'])} links, {len(copy.get('custom_fields_values') or [])} fields, "
        f"{len(copy.get('notes') or [])} note; {elapsed:.1f} s from the move"
    )
    form = dp_hook_form(account, SOURCE_LEAD, trigger, signed, hooks[-1]["time"])
    again = [post_dp_hook(stack, form=form).status_code for _ in range(3)]
    wait_idle(stack)  # the repeated hooks have been handled
    copies = [
        lead
        for lead in control.state(account["id"])["leads"]
        if lead["pipeline_id"] == target["pipeline_id"] and lead["name"] == copy["name"]
    ]
    out(f"   the same hook three more times (amoCRM may repeat it) -> {again}; copies of the deal there: {len(copies)}")
    return len(copies) == 1


def uninstall(stack: StackInfo, account_id: int, out: Out) -> None:
    """The admin removes the widget in amoCRM (its tokens are revoked there), and amoCRM calls the hook.

    The backend drops an account only once amoCRM confirms the stored tokens are revoked, so an old
    hook replayed after a re-install cannot drop a healthy account.
    """
    from amo_emulator.control import EmulatorControl
    from dealcopy import wiring
    from dealcopy.install import uninstall_signature

    EmulatorControl(stack.emulator_url).uninstall(account_id, stack.client_id)

    def hook(signature: str) -> int:
        params = {"account_id": account_id, "client_uuid": stack.client_id, "signature": signature}
        return HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=params).status_code

    forged = hook("0" * 64)
    genuine = hook(uninstall_signature(stack.client_secret, stack.client_id, str(account_id)))
    status = wiring.accounts().get(account_id).status.value
    out(f"8. Uninstall hook: forged signature -> {forged}, genuine -> {genuine}; account is now {status}")


if __name__ == "__main__":
    sys.exit(run_demo())
