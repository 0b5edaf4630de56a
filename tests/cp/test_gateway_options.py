"""The forward specifications of ``vm370 serve --forward`` and ``vm370
--forward``, the gateway address, and the VMLAN GATEWAY/FORWARD statements
of system.config: good ones parsed, bad ones a clear line, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cp.devices.realdevices import ConfigError
from cp.gateway.spec import ForwardSpec, parse_forward, parse_gateway_address
from cp.lan import read_config
from vm370 import console, serve


@pytest.mark.parametrize(
    "text, spec",
    [
        ("8080=WEBSRV:80", ForwardSpec("127.0.0.1", 8080, "WEBSRV", 80)),
        ("0.0.0.0:8080=websrv:80", ForwardSpec("0.0.0.0", 8080, "WEBSRV", 80)),
        ("127.0.0.2:2121=FTPSERVE:21", ForwardSpec("127.0.0.2", 2121, "FTPSERVE", 21)),
        ("[::1]:8080=WEBSRV:80", ForwardSpec("::1", 8080, "WEBSRV", 80)),
        ("0=A$#@:7", ForwardSpec("127.0.0.1", 0, "A$#@", 7)),
    ],
)
def test_good_forward_specifications(text, spec):
    assert parse_forward(text) == spec


@pytest.mark.parametrize(
    "text, why",
    [
        ("8080", "is not [bindaddr:]HOSTPORT=USERID:PORT"),
        ("8080=WEBSRV", "is not USERID:PORT"),
        ("=WEBSRV:80", "is not [bindaddr:]HOSTPORT=USERID:PORT"),
        ("http=WEBSRV:80", "host port 'http' is not a number"),
        ("70000=WEBSRV:80", "host port 70000 is not between 0 and 65535"),
        ("8080=WEBSRV:0", "guest port 0 is not between 1 and 65535"),
        ("8080=WEBSRV:x", "guest port 'x' is not a number"),
        ("8080=TOOLONGUSER:80", "is not a user id"),
        ("8080=WEB-SRV:80", "is not a user id"),
        ("localhost:8080=WEBSRV:80", "bind address 'localhost' is not an IP address"),
        ("1.2.3:8080=WEBSRV:80", "is not an IP address"),
    ],
)
def test_bad_forward_specifications_say_why(text, why):
    with pytest.raises(ValueError, match=why.replace("[", r"\[").replace("$", r"\$")):
        parse_forward(text)


def test_serve_takes_repeated_forwards():
    args = serve.parse_args(["--forward", "8080=WEBSRV:80", "--forward", "2121=FTPSERVE:21"])
    assert [str(f) for f in args.forward] == [
        "127.0.0.1:8080=WEBSRV:80",
        "127.0.0.1:2121=FTPSERVE:21",
    ]
    assert serve.parse_args([]).forward == []


def test_console_takes_forwards():
    args = console.parse_args(["--forward", "0.0.0.0:8080=WEBSRV:80"])
    assert args.forward == [ForwardSpec("0.0.0.0", 8080, "WEBSRV", 80)]


@pytest.mark.parametrize("command", [["serve"], []])
def test_a_bad_forward_option_is_one_error_line(command, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "vm370", *command, "--system", str(tmp_path / "s")]
        + ["--forward", "8080=WEBSRV"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "argument --forward: 'WEBSRV' is not USERID:PORT" in result.stderr
    assert not (tmp_path / "s").exists()  # nothing was started


@pytest.mark.parametrize(
    "text, shown",
    [
        (None, "10.0.0.1/24"),
        ("10.0.0.1", "10.0.0.1/24"),
        ("192.168.7.254/16", "192.168.7.254/16"),
    ],
)
def test_gateway_addresses(text, shown):
    interface = parse_gateway_address(text)
    assert f"{interface.ip}/{interface.network.prefixlen}" == shown


@pytest.mark.parametrize(
    "text, why",
    [
        ("10.0.0.0/24", "network's own or broadcast"),
        ("10.0.0.255", "network's own or broadcast"),
        ("10.0.0.1/31", "prefix /31 is not between /8 and /30"),
        ("10.0.0.1/4", "prefix /4 is not between"),
        ("127.0.0.1", "cannot be a gateway address"),
        ("10.0.0.300", "is not an IPv4 address"),
        ("fe80::1", "is not an IPv4 address"),
    ],
)
def test_bad_gateway_addresses(text, why):
    with pytest.raises(ValueError, match=why):
        parse_gateway_address(text)


def test_vmlan_gateway_and_forward_statements(tmp_path):
    (tmp_path / "system.config").write_text(
        "* the guest LAN's gateway\n"
        "VMLAN GATEWAY LOCALNET\n"
        "VMLAN GATEWAY OTHER 192.168.1.1/16\n"
        "VMLAN FORWARD localnet 8080 WEBSRV 80\n"
        "VMLAN FORWARD LOCALNET 0.0.0.0:2121 ftpserve 21\n"
    )
    config = read_config(tmp_path)
    assert config.gateways == {"LOCALNET": "10.0.0.1/24", "OTHER": "192.168.1.1/16"}
    assert config.forwards == [
        ForwardSpec("127.0.0.1", 8080, "WEBSRV", 80, "LOCALNET"),
        ForwardSpec("0.0.0.0", 2121, "FTPSERVE", 21, "LOCALNET"),
    ]


@pytest.mark.parametrize(
    "statement, why",
    [
        ("VMLAN GATEWAY", "VMLAN MACPREFIX xxxxxx | VMLAN BRIDGE"),
        ("VMLAN GATEWAY LOCALNET 10.0.0.0", "line 1: gateway address 10.0.0.0 is the network"),
        ("VMLAN FORWARD LOCALNET 8080 WEBSRV", "line 1: VMLAN FORWARD lanname"),
        ("VMLAN FORWARD LOCALNET 8080 WEBSRV 99999", "line 1: guest port 99999 is not"),
    ],
)
def test_bad_vmlan_statements_name_the_line(tmp_path, statement, why):
    (tmp_path / "system.config").write_text(statement + "\n")
    with pytest.raises(ConfigError, match=why):
        read_config(tmp_path)
