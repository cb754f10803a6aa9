"""How the orchestrator (bench/run.py) talks to its helper processes, bench.dbtasks and
bench.load: a helper starts once, then reads requests {"command", "args"}, a line each,
and answers each with one line, REPLY and {"result": ...} or {"error": traceback}. One
process for a whole run, instead of one started (Django or locust imported) per question.
"""

import json
import subprocess
import sys
import traceback
from collections.abc import Callable

REPLY = "bench-reply "  # starts an answer, whatever else the helper may print


def serve(commands: dict[str, Callable[[dict], object]], *, after: Callable[[], None] = lambda: None) -> None:
    """The helper's side: answer each request on stdin until it closes."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"result": commands[request["command"]](request["args"])}
        except Exception:
            reply = {"error": traceback.format_exc()}
        after()
        print(REPLY + json.dumps(reply, default=str), flush=True)


class Helper:
    """The orchestrator's side: a `python -m module` process, asked one thing at a time."""

    def __init__(self, module: str, env: dict, log_path, cwd):
        self.module, self.log = module, open(log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def __call__(self, command: str, **args):
        self.popen.stdin.write(json.dumps({"command": command, "args": args}) + "\n")
        self.popen.stdin.flush()
        for line in self.popen.stdout:
            if line.startswith(REPLY):
                reply = json.loads(line[len(REPLY) :])
                break
        else:
            raise RuntimeError(f"{self.module} stopped during {command}; see {self.log.name}")
        if "error" in reply:
            raise RuntimeError(f"{self.module} {command} failed:\n{reply['error'][-3000:]}")
        return reply["result"]

    def stop(self) -> None:
        self.popen.stdin.close()  # its loop ends
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.log.close()
