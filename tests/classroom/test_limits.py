"""Per-student limits and login hygiene on a real hub (issue 20), each tried as a student.

Code runs where a student's code runs: in a kernel of the student's own server, started through
the server's REST API with the server's own token and driven over the kernel websocket. The hub
is started with a smaller memory limit and process limit than the defaults
(``S400LAB_HUB_MEM_MB=768``, ``S400LAB_HUB_MAX_PROCS=128``) so that exceeding them is cheap on a
shared machine; the mechanism is the one the defaults use.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import pwd
import shutil
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import hubctl
import pytest

pytestmark = [pytest.mark.classroom]

MEM_MB, PROCS = 768, 128  # as conftest.LIMITS_MEM_MB, LIMITS_PROCS
RUNUSER = shutil.which("runuser") or "runuser"


# --------------------------------------------------------------------------- a student's kernel


def server_url(hub, name: str) -> str:
    url = hub.api("GET", f"/users/{name}")["servers"][""]["url"]  # type: ignore[index]
    return url if url.startswith("http") else hub.url + url


def _loopback(url: str) -> tuple[str, str]:
    """``url`` with a ``*.localhost`` host (a user's own origin) sent to 127.0.0.1, and the
    ``Host`` header it needs: the system resolver here does not map ``*.localhost`` (browsers do)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host == "localhost" or host.endswith(".localhost"):
        return parts._replace(netloc=f"127.0.0.1:{parts.port}").geturl(), parts.netloc
    return url, parts.netloc


def api(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict | list]:
    target, host = _loopback(url)
    req = urllib.request.Request(
        target,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json", "Host": host},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            data = r.read()
            return r.status, json.loads(data) if data else {}
    except urllib.error.HTTPError as err:
        data = err.read()
        try:
            return err.code, json.loads(data)
        except ValueError:
            return err.code, {"message": data.decode(errors="replace")}


def run_in_kernel(base: str, token: str, kernel_id: str, code: str, timeout: float = 240) -> str:
    """Execute ``code`` in the kernel; return its stdout (raise with the traceback on error)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    target, host = _loopback(base)
    ws_url = target.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels"
    msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
    msg = {
        "header": {
            "msg_id": msg_id,
            "username": "test",
            "session": session,
            "msg_type": "execute_request",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {"code": code, "silent": False, "store_history": False, "allow_stdin": False},
        "channel": "shell",
        "buffers": [],
    }

    async def go():
        conn = await websocket_connect(
            HTTPRequest(ws_url, headers={"Authorization": f"token {token}", "Host": host})
        )
        await conn.write_message(json.dumps(msg))
        out, err = [], None
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            raw = await asyncio.wait_for(conn.read_message(), timeout=end - time.monotonic())
            if raw is None:
                raise RuntimeError("kernel websocket closed")
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["header"]["msg_type"]
            if kind == "stream":
                out.append(reply["content"]["text"])
            elif kind == "error":
                err = "\n".join(reply["content"]["traceback"])
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                break
        conn.close()
        if err:
            raise RuntimeError(err)
        return "".join(out)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def kernel(limits_hub):
    hub, name, env = limits_hub["hub"], limits_hub["a"], limits_hub["env"]
    base, token = server_url(hub, name), env["JUPYTERHUB_API_TOKEN"]
    status, model = api(base + "api/kernels", token, "POST", {"name": "python3"})
    assert status == 201, model
    kid = model["id"]  # type: ignore[call-overload]

    def run(code: str) -> str:
        return run_in_kernel(base, token, kid, code)

    run("print('warm')")
    yield run
    api(base + f"api/kernels/{kid}", token, "DELETE")


# --------------------------------------------------------------------------- limits


def test_memory_beyond_the_limit_is_refused(kernel, limits_hub):
    out = kernel(
        "import subprocess, sys\n"
        f'code = \'b = bytearray(b"x") * ({MEM_MB + 256} * 1024 * 1024); print("allocated", len(b))\'\n'
        "r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)\n"
        "print('rc', r.returncode, 'out', r.stdout.strip(), 'err', r.stderr.strip()[-200:])\n"
        f"r = subprocess.run([sys.executable, '-c', code.replace('{MEM_MB + 256}', '64')],"
        " capture_output=True, text=True)\n"
        "print('small', r.returncode, r.stdout.strip())\n"
        "print(open('/proc/self/cgroup').read())\n"
    )
    first, small = out.splitlines()[0], out.splitlines()[1]
    assert "allocated" not in first and not first.startswith("rc 0 "), out
    assert small.startswith("small 0 allocated"), out  # the check can pass
    assert f"s400lab/{limits_hub['a']}" in out  # the kernel runs in the student's cgroup


def test_forking_beyond_the_process_limit_fails(kernel):
    out = kernel(
        "import subprocess, sys\n"
        "code = '''\n"
        "import os, signal, time\n"
        "pids = []\n"
        "try:\n"
        f"    for _ in range({PROCS * 2}):\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            time.sleep(60); os._exit(0)\n"
        "        pids.append(pid)\n"
        "except OSError as e:\n"
        "    print('refused after', len(pids), e.errno)\n"
        "else:\n"
        "    print('forked', len(pids))\n"
        "for pid in pids:\n"
        "    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)\n"
        "'''\n"
        "r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)\n"
        "print(r.stdout.strip(), r.stderr.strip()[-200:])\n"
    )
    assert out.startswith("refused after"), out
    n = int(out.split()[2])
    assert 5 < n < PROCS, out


CPU_PROBE = """
import resource, subprocess, sys, time
spin = "import time\\nt = time.time()\\nwhile time.time() - t < 3: pass"
t0 = time.time()
ps = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(3)]
for p in ps:
    p.wait()
wall = time.time() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"cpu {ru.ru_utime + ru.ru_stime:.3f} wall {wall:.3f}")
for line in open("/proc/self/cgroup").read().splitlines():
    _, controllers, path = line.split(":", 2)
    if "cpu" in controllers.split(","):
        print("cgroup", path)
        print("quota", open(f"/sys/fs/cgroup/cpu{path}/cpu.cfs_quota_us").read().strip())
"""


def test_cpu_beyond_one_core_is_throttled(kernel, limits_hub):
    """Three busy processes for 3 s get at most one core's worth of CPU time (the default
    1-core quota). Without the quota an idle 2-core machine gives them ~6 CPU-seconds; a busy
    machine may give less but never more than the quota allows, so this cannot fail falsely."""
    out = kernel(
        "import subprocess, sys\n"
        f"r = subprocess.run([sys.executable, '-c', {CPU_PROBE!r}], capture_output=True, text=True,"
        " timeout=120)\n"
        "print(r.stdout.strip(), r.stderr.strip()[-300:])\n"
    )
    words = out.split()
    assert words[0] == "cpu", out
    cpu, wall = float(words[1]), float(words[3])
    print(f"3 busy processes: {cpu:.2f} CPU-s in {wall:.2f} s wall")  # reported, not asserted
    assert f"s400lab/{limits_hub['a']}" in out and "quota 100000" in out, out  # one core
    assert cpu <= 1.15 * wall + 0.3, out  # one core's worth at most (plus CFS slack)


def test_more_kernels_than_allowed_are_refused(limits_hub, kernel):
    hub, name, env = limits_hub["hub"], limits_hub["a"], limits_hub["env"]
    base, token = server_url(hub, name), env["JUPYTERHUB_API_TOKEN"]
    status, running = api(base + "api/kernels", token)
    started, refused = [], None
    try:
        for _ in range(8):
            status, model = api(base + "api/kernels", token, "POST", {"name": "python3"})
            if status != 201:
                refused = (status, model)
                break
            started.append(model["id"])  # type: ignore[call-overload]
        assert refused is not None and refused[0] == 403, refused
        assert "at most 4 kernels" in json.dumps(refused[1])
        assert len(running) + len(started) == 4  # type: ignore[arg-type]
    finally:
        for kid in started:
            api(base + f"api/kernels/{kid}", token, "DELETE")


def test_dev_shm_is_private_and_small(kernel, limits_hub):
    marker = f"/dev/shm/s400lab-host-{uuid.uuid4().hex}"
    with open(marker, "w") as fh:
        fh.write("host")
    try:
        out = kernel(
            "import os\n"
            "st = os.statvfs('/dev/shm'); print('size', st.f_blocks * st.f_frsize)\n"
            f"print('host file visible', os.path.exists({marker!r}))\n"
            "try:\n"
            "    with open('/dev/shm/fill', 'wb') as fh:\n"
            "        for _ in range(300): fh.write(b'x' * (1 << 20))\n"
            "    print('filled 300 MiB')\n"
            "except OSError as e:\n"
            "    print('refused', e.errno)\n"
            "finally:\n"
            "    os.remove('/dev/shm/fill')\n"
        )
    finally:
        os.remove(marker)
    assert "size 268435456" in out and "host file visible False" in out, out
    assert "refused 28" in out, out  # ENOSPC


def test_solutions_are_not_readable_from_a_students_kernel(kernel, limits_hub):
    solutions = hubctl.REPO / "notebooks" / "solutions"
    target = sorted(p for p in solutions.iterdir() if p.is_file())[0]
    out = kernel(
        "import os\n"
        f"for p in ({str(solutions)!r}, {str(target)!r}):\n"
        "    try:\n"
        "        print(p, 'listed' if os.path.isdir(p) and os.listdir(p) else len(open(p).read()))\n"
        "    except OSError as e:\n"
        "        print(p, 'refused', e.errno)\n"
        "import subprocess\n"
        "git = ['git', '-c', 'safe.directory=*']  # the attack: git's own ownership check waived\n"
        f"r = subprocess.run(git + ['-C', {str(hubctl.REPO)!r}, 'show', 'HEAD:notebooks/solutions/'],"
        " capture_output=True, text=True)\n"
        "print('git history', 'read' if r.returncode == 0 and r.stdout else 'refused')\n"
        "home = os.path.expanduser('~/s400lab/notebooks')\n"
        "print('home copy', os.path.exists(os.path.join(home, 'solutions')))\n"
    )
    assert out.count("refused 13") == 2, out  # EACCES
    assert "home copy False" in out
    assert "git history refused" in out, out  # the object store is closed to others
    teacher = subprocess.run(
        [RUNUSER, "-u", limits_hub["teacher"], "--", "cat", str(target)], capture_output=True, cwd="/"
    )
    assert teacher.returncode == 0 and teacher.stdout  # instructors (the group) read them
    assert pwd.getpwnam(limits_hub["a"]).pw_uid != 0


# --------------------------------------------------------------------------- logins


def login(hub, name: str, password: str) -> tuple[bool, float]:
    """Log in through the hub's form (with its XSRF token); (accepted, seconds)."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{hub.url}/hub/login", timeout=60) as r:
        page = r.read().decode()
    xsrf = page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf}).encode()
    t = time.perf_counter()
    try:
        with opener.open(f"{hub.url}/hub/login", data=body, timeout=120) as r:
            ok = False
    except urllib.error.HTTPError as err:
        ok = err.code == 302
    return ok, time.perf_counter() - t


def test_names_cannot_be_told_apart_by_login_time(limits_hub):
    """Interleaved wrong-password logins for roster names and names not on the roster: the
    medians are within a factor 1.5 (before: an unknown name answered without hashing)."""
    hub = limits_hub["hub"]
    known_names = [limits_hub["a"], limits_hub["b"], limits_hub["teacher"]]
    known, unknown = [], []
    for i in range(12):  # 4 per roster name: below the 5 failures that start the back-off
        known.append(login(hub, known_names[i % 3], f"wrong-{i}")[1])
        unknown.append(login(hub, f"nobody{i}x", f"wrong-{i}")[1])
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 1.5 < ratio < 1.5, (known, unknown)


def test_fifty_wrong_passwords_are_refused_and_then_so_is_the_right_one(limits_hub):
    hub, name = limits_hub["hub"], limits_hub["a"]
    password = hubctl.read_passwords(hub.state)[name]
    assert [login(hub, name, f"guess-{i}")[0] for i in range(50)] == [False] * 50
    assert login(hub, name, password)[0] is False  # backed off: not even checked
    log = (hub.state / "hub.log").read_text(errors="replace")
    assert log.count(f"classroom login refused for '{name}'") >= 40
