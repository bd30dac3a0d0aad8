"""gunicorn's access log (mentorship/gunicorn_logging.py, configured in gunicorn.conf.py):
no secret key of a link, no query string, no cookie in any line."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from gunicorn.config import Config

from mentorship.gunicorn_logging import RedactingLogger

ROOT = Path(settings.BASE_DIR)
CONF = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
KEY = "AbC123_-xyz:9Q"


def configured_logger(access_log_format=CONF["access_log_format"]):
    cfg = Config()
    for name in ("bind", "workers", "accesslog", "logger_class"):
        cfg.set(name, CONF[name])
    cfg.set("access_log_format", access_log_format)
    logger_class = cfg.logger_class
    assert logger_class is RedactingLogger
    return logger_class(cfg)


def request(raw_uri, *, referer="-", method="GET"):
    """What gunicorn hands its logger: the response, the parsed request, the WSGI environ."""
    path, _, query = raw_uri.partition("?")
    headers = [
        ("HOST", "mentor.example.org"),
        ("USER-AGENT", "Mozilla/5.0"),
        ("COOKIE", "sessionid=s3cr3tsession; csrftoken=abc"),
        ("REFERER", referer),
    ]
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_COOKIE": "sessionid=s3cr3tsession; csrftoken=abc",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
    req = SimpleNamespace(headers=headers)
    return resp, req, environ, timedelta(seconds=0, microseconds=42000)


def access_line(capsys, raw_uri, **kwargs):
    logger = configured_logger(kwargs.pop("access_log_format", CONF["access_log_format"]))
    capsys.readouterr()
    logger.access(*request(raw_uri, **kwargs))
    return capsys.readouterr().out.strip()


@pytest.mark.parametrize(
    ("raw_uri", "logged"),
    [
        (f"/vastnatet/endorse/{KEY}/", "/vastnatet/endorse/[secret]/"),
        (f"/vastnatet/invitation/{KEY}/renew/", "/vastnatet/invitation/[secret]/renew/"),
        (f"/vastnatet/put-forward/{KEY}/", "/vastnatet/put-forward/[secret]/"),
        (f"/vastnatet/calendar/{KEY}.ics", "/vastnatet/calendar/[secret].ics"),
        (f"/accounts/confirm-email/{KEY}/", "/accounts/confirm-email/[secret]/"),
        (f"/accounts/password/reset/key/1-{KEY}/", "/accounts/password/reset/key/[secret]/"),
    ],
)
def test_secret_keys_are_cut_from_the_request_line(capsys, raw_uri, logged):
    line = access_line(capsys, raw_uri)
    assert f'"GET {logged} HTTP/1.1" 200 1234' in line
    assert KEY not in line


def test_the_query_string_and_the_referrers_secrets_are_not_logged(capsys):
    line = access_line(
        capsys,
        "/vastnatet/manage/rounds/3/applications/?q=anna.adeptsson%40example.se",
        referer=f"https://mentor.example.org/vastnatet/endorse/{KEY}/?x=Anna",
    )
    assert line.startswith("10.0.0.7 [")
    assert '"GET /vastnatet/manage/rounds/3/applications/ HTTP/1.1" 200 1234' in line
    assert '"https://mentor.example.org/vastnatet/endorse/[secret]/"' in line
    assert line.endswith('"Mozilla/5.0" 42ms')
    for secret in ("adeptsson", KEY, "Anna", "?"):
        assert secret not in line


def test_no_format_can_bring_the_secrets_back(capsys):
    """Query, raw URI, cookies, the environment: a custom access_log_format gets "-"."""
    line = access_line(
        capsys,
        f"/vastnatet/endorse/{KEY}/?q=anna",
        referer=f"/vastnatet/invitation/{KEY}/",
        access_log_format=(
            "%(U)s|%(q)s|%(u)s|%({cookie}i)s|%({referer}i)s|%({raw_uri}e)s|%({query_string}e)s"
        ),
    )
    assert line == "/vastnatet/endorse/[secret]/|-|-|-|/vastnatet/invitation/[secret]/|-|-"


@pytest.mark.parametrize("name", ["Dockerfile", "docker-compose.yml"])
def test_the_image_runs_gunicorn_with_this_configuration(name):
    text = (ROOT / name).read_text()
    assert "mentorship.wsgi:application" in text
    lines = [line for line in text.splitlines() if "mentorship.wsgi:application" in line]
    assert all("gunicorn.conf.py" in line and "access-logfile" not in line for line in lines)
