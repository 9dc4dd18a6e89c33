"""Every task is named by one scheme and scheduled by the module that holds it."""

from __future__ import annotations

import importlib

from catalog.queue import INDEX_PRODUCTS_TASK, INDEX_QUEUE
from workers.celery_app import TASK_MODULES, app
from workers.tasks.analytics import ROLLUP_TASK
from workers.tasks.diagnostics import HEARTBEAT_TASK
from workers.tasks.indexing import SWEEP_TASK


def _load() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)
    app.finalize()


def test_every_task_is_named_after_where_its_function_lives() -> None:
    _load()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert INDEX_PRODUCTS_TASK in ours
    for name, task in ours.items():
        assert name == f"{task.run.__module__}.{task.run.__name__}"


def test_the_beat_schedule_names_registered_tasks_each_expiring_after_its_interval() -> None:
    _load()
    schedule = app.conf.beat_schedule
    assert {SWEEP_TASK, HEARTBEAT_TASK, ROLLUP_TASK} <= schedule.keys()
    for key, entry in schedule.items():
        assert entry["task"] == key
        assert entry["task"] in app.tasks
        assert entry["options"]["expires"] == entry["schedule"]


def test_index_tasks_have_their_own_queue() -> None:
    assert app.conf.task_routes[INDEX_PRODUCTS_TASK] == {"queue": INDEX_QUEUE}
