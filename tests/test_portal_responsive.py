"""The portal stays responsive while hostile uploads are checked (issue 8, item 4).

A real server (uvicorn in a subprocess) receives five hostile uploads from five leads at once: a
sheet whose XML is a zip bomb, a million-row sheet, stray cells at XFD1048576 on every sheet, an
entity bomb, and a file on which the (stand-in) worker burns CPU until its limits stop it — so
the test does not depend on how fast the reader is on the others.  Meanwhile another client asks
for the sign-in page every 50 ms, each time on a new connection.  Every upload is answered at once
with "checking"; every check ends rejected with a clear message; the sign-in page answers
throughout.  The latencies are printed (median and worst) for the issue's closing note.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest

import hostile_workbooks
from portal_server import accounts, api_poll, api_sign_in, api_upload, portal_env, running_portal

LEADS = ("QHG", "QE1", "QHL", "QJ2", "QJK")
BUILDERS = (hostile_workbooks.zip_bomb, hostile_workbooks.million_rows, hostile_workbooks.far_corner,
            hostile_workbooks.entity_bomb, hostile_workbooks.burner)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return [build(folder) for build in BUILDERS]


def sign_in_page_latencies(port: int, stop: threading.Event, seconds: list[float], statuses: list[int]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/login")
        response = connection.getresponse()
        response.read()
        connection.close()
        seconds.append(time.perf_counter() - started)
        statuses.append(response.status)
        stop.wait(0.05)


def upload_and_wait(url: str, email: str, password: str, path: Path, outcome: dict[str, object]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = api_upload(client, api_sign_in(client, email, password), path)
        outcome["answer"] = answer.status_code
        outcome["first"] = answer.json()["validation"]
        outcome["final"] = api_poll(client, f"/api/submissions/{answer.json()['id']}",
                                    lambda s: s["validation"] == "checking", seconds=600)


def test_sign_in_page_answers_while_five_hostile_uploads_are_checked(tmp_path: Path, hostile: list[Path]) -> None:
    env = portal_env(tmp_path / "data", WORKFORCE_PORTAL_JOB_SECONDS="15", WORKFORCE_PORTAL_JOB_MEMORY_MB="1024")
    passwords = accounts(tmp_path / "data", {f"lead@{code.lower()}.nhs.uk": code for code in LEADS})
    seconds: list[float] = []
    statuses: list[int] = []
    with running_portal(env, "burn-marked") as portal:
        stop = threading.Event()
        pinger = threading.Thread(target=sign_in_page_latencies, args=(portal.port, stop, seconds, statuses))
        pinger.start()
        outcomes: list[dict[str, object]] = [{} for _ in LEADS]
        uploads = [threading.Thread(target=upload_and_wait, args=(portal.url, f"lead@{code.lower()}.nhs.uk",
                                                                  passwords[f"lead@{code.lower()}.nhs.uk"], path, outcome))
                   for code, path, outcome in zip(LEADS, hostile, outcomes)]
        for thread in uploads:
            thread.start()
        for thread in uploads:
            thread.join()
        stop.set()
        pinger.join()
    for path, outcome in zip(hostile, outcomes):
        assert outcome["answer"] == 202 and outcome["first"] == "checking", (path.name, outcome)
        final = outcome["final"]
        assert final["validation"] == "rejected" and final["plan_status"] == "none", (path.name, final)  # type: ignore[index]
        assert final["issues"][0]["severity"] == "error" and final["issues"][0]["expected"], (path.name, final)  # type: ignore[index]
    assert len(seconds) >= 20 and set(statuses) == {200}
    median, worst = statistics.median(seconds), max(seconds)
    print(f"\nGET /login during five hostile uploads: {len(seconds)} requests, median {median * 1000:.1f} ms, "
          f"worst {worst * 1000:.1f} ms")
    # The one timed assertion in the suite, because it is the requirement itself (issue 8: "under 1 s"); the
    # median is robust to a noisy machine, and the worst is reported above.
    assert median < 1.0
