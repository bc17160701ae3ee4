import shutil
import subprocess
import time

import pytest

REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port",
               "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
               "--logfile", "/var/log/redis/ci.log"]


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG"


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True)
    for _ in range(50):
        if not redis_up():
            return
        time.sleep(0.1)
    raise RuntimeError("Redis did not stop")


def redis_start() -> None:
    subprocess.run(["mkdir", "-p", "/var/lib/redis", "/var/log/redis"], check=True)
    subprocess.run(REDIS_START, check=True)
    for _ in range(100):
        if redis_up():
            return
        time.sleep(0.1)
    raise RuntimeError("Redis did not start")


@pytest.fixture
def real_redis():
    if not shutil.which("redis-server") or not redis_up():
        pytest.skip("needs the local Redis server running")
    yield
    if not redis_up():
        redis_start()
