package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadFlagsExitTwoWithOneLine(t *testing.T) {
	url := "--url=ws://127.0.0.1:9/v1/stream"
	cases := []struct {
		args []string
		want string
	}{
		{nil, "a command is required"},
		{[]string{"wss"}, `unknown command "wss"`},
		{[]string{"ws"}, "--url is required"},
		{[]string{"ws", "--url", "http://x/v1/stream"}, "scheme must be ws or wss"},
		{[]string{"ws", "--url", "ws:///v1/stream"}, "no host"},
		{[]string{"ws", url, "--clients", "0"}, "--clients must be at least 1"},
		{[]string{"ws", url, "--clients", "many"}, "invalid value"},
		{[]string{"ws", url, "--duration", "0s"}, "--duration must be positive"},
		{[]string{"ws", url, "--duration", "10"}, "invalid value"},
		{[]string{"ws", url, "--warmup", "-1s"}, "--warmup must not be negative"},
		{[]string{"ws", url, "--sample", "0"}, "--sample must be at least 1"},
		{[]string{"ws", url, "--connect-rate", "-5"}, "--connect-rate"},
		{[]string{"ws", url, "--procs", "-1"}, "--procs"},
		{[]string{"ws", url, "--subscribe", `{"op":"subscribe"`}, "subscribe message 1 is not valid JSON"},
		{[]string{"ws", url, "--subscribe-file", "/nonexistent/subs.ndjson"}, "--subscribe-file"},
		{[]string{"ws", url, "--header", "NoColon"}, "expected 'Name: value'"},
		{[]string{"ws", url, "--header", "Sec-WebSocket-Key: x"}, "set by the WebSocket handshake"},
		{[]string{"ws", url, "--protocol", "riskline.json, bad value"}, "--protocol"},
		{[]string{"ws", url, "--bogus", "1"}, "flag provided but not defined"},
		{[]string{"ws", url, "stray"}, `unexpected argument "stray"`},
		{[]string{"tcp", "--conns", "0"}, "--conns must be at least 1"},
		{[]string{"tcp", "--duration", "-1s"}, "--duration must be positive"},
		{[]string{"tcp", "--write-size", "0"}, "--write-size"},
	}
	for _, c := range cases {
		code, stderr := runLoadgen(t, nil, c.args...)
		if code != exitBadFlag || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, code, stderr, c.want)
		}
	}
}

func TestSubscribeFlagsAndFileInOrder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "subs.ndjson")
	if err := os.WriteFile(file, []byte("{\"op\":\"subscribe\",\"id\":2,\"channels\":[\"risk:P-{i}\"]}\n\n {\"op\":\"ping\",\"id\":3}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseWSFlags([]string{"--url", "wss://gw.example/v1/stream?x=1", "--subscribe", `{"op":"subscribe","id":{i},"channels":["ticks:AAPL"]}`,
		"--subscribe-file", file, "--header", "Authorization: Bearer a.b.c", "--protocol", "riskline.msgpack, bearer.a.b.c"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`{"op":"subscribe","id":{i},"channels":["ticks:AAPL"]}`, `{"op":"subscribe","id":2,"channels":["risk:P-{i}"]}`, `{"op":"ping","id":3}`}
	if strings.Join(cfg.subscribe, "|") != strings.Join(want, "|") {
		t.Errorf("subscribe messages %q", cfg.subscribe)
	}
	up := newUpgrader(cfg)
	head := string(up.head)
	for _, line := range []string{"GET /v1/stream?x=1 HTTP/1.1\r\n", "Host: gw.example\r\n", "Authorization: Bearer a.b.c\r\n", "Sec-WebSocket-Protocol: riskline.msgpack, bearer.a.b.c\r\n"} {
		if !strings.Contains(head, line) {
			t.Errorf("upgrade request lacks %q:\n%s", line, head)
		}
	}
	if up.addr != "gw.example:443" || up.tls == nil || len(up.offered) != 2 {
		t.Errorf("addr %q tls %v offered %v", up.addr, up.tls != nil, up.offered)
	}
}

func TestHelpExitsZero(t *testing.T) {
	code, stderr := runLoadgen(t, nil, "ws", "--help")
	if code != exitOK || !strings.Contains(stderr, "-connect-rate") {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
}
