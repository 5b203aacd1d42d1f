package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// wsConfig is `loadgen ws`'s checked flags.
type wsConfig struct {
	url              *url.URL
	clients          int
	duration         time.Duration
	warmup           time.Duration
	subscribe        []string // templates; `{i}` becomes the client's index
	subscribeFile    string
	headers          []headerField
	protocol         string
	connectRate      float64
	sample           int
	procs            int
	handshakeTimeout time.Duration
	insecure         bool
	progress         time.Duration
}

type headerField struct{ name, value string }

// tcpConfig is `loadgen tcp`'s checked flags.
type tcpConfig struct {
	duration  time.Duration
	warmup    time.Duration
	conns     int
	writeSize int
	procs     int
}

// listFlag collects a repeatable flag in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type wsRaw struct {
	url, protocol, subscribeFile string
	subscribe, headers           listFlag
	clients, sample, procs       int
	duration, warmup             time.Duration
	handshakeTimeout, progress   time.Duration
	connectRate                  float64
	insecure                     bool
}

func defineWSFlags(r *wsRaw) *flag.FlagSet {
	fs := flag.NewFlagSet("ws", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&r.url, "url", "", "ws:// or wss:// URL of the stream endpoint (required)")
	fs.IntVar(&r.clients, "clients", 1, "WebSocket connections to open")
	fs.DurationVar(&r.duration, "duration", 10*time.Second, "measured window, after the connect phase and the warmup")
	fs.DurationVar(&r.warmup, "warmup", 2*time.Second, "time between the end of the connect phase and the measured window")
	fs.Var(&r.subscribe, "subscribe", "text message sent after the upgrade (JSON; {i} = client index); repeatable")
	fs.StringVar(&r.subscribeFile, "subscribe-file", "", "file of subscribe messages, one JSON message per line, sent after --subscribe")
	fs.Var(&r.headers, "header", "extra upgrade request header 'Name: value'; repeatable")
	fs.StringVar(&r.protocol, "protocol", "", "Sec-WebSocket-Protocol to offer (comma-separated list)")
	fs.Float64Var(&r.connectRate, "connect-rate", 0, "connections started per second (0: all at once)")
	fs.IntVar(&r.sample, "sample", 1, "parse every Nth message of a client for latency")
	fs.IntVar(&r.procs, "procs", 0, "GOMAXPROCS (0: Go's default, the CPU count)")
	fs.DurationVar(&r.handshakeTimeout, "handshake-timeout", 10*time.Second, "limit for dial plus upgrade of one connection")
	fs.BoolVar(&r.insecure, "insecure", false, "wss: do not verify the server certificate")
	fs.DurationVar(&r.progress, "progress", time.Second, "progress line interval on stderr (0: none)")
	return fs
}

func wsFlagSet() *flag.FlagSet { return defineWSFlags(&wsRaw{}) }

func parseWSFlags(args []string) (*wsConfig, error) {
	var r wsRaw
	fs := defineWSFlags(&r)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags are --name value)", fs.Arg(0))
	}
	cfg := &wsConfig{
		clients: r.clients, duration: r.duration, warmup: r.warmup, protocol: strings.TrimSpace(r.protocol),
		connectRate: r.connectRate, sample: r.sample, procs: r.procs, handshakeTimeout: r.handshakeTimeout,
		insecure: r.insecure, progress: r.progress, subscribeFile: r.subscribeFile,
	}
	var err error
	if cfg.url, err = checkURL(r.url); err != nil {
		return nil, err
	}
	if err := checkWSNumbers(cfg); err != nil {
		return nil, err
	}
	if err := checkProtocol(cfg.protocol); err != nil {
		return nil, err
	}
	for _, h := range r.headers {
		f, err := checkHeader(h)
		if err != nil {
			return nil, err
		}
		cfg.headers = append(cfg.headers, f)
	}
	if cfg.subscribe, err = subscribeMessages(r.subscribe, r.subscribeFile); err != nil {
		return nil, err
	}
	return cfg, nil
}

func checkURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("--url is required, e.g. ws://127.0.0.1:8080/v1/stream")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--url %q: %v", raw, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return nil, fmt.Errorf("--url %q: scheme must be ws or wss", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("--url %q: no host", raw)
	}
	if u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("--url %q: no fragment or user info allowed", raw)
	}
	return u, nil
}

func checkWSNumbers(c *wsConfig) error {
	switch {
	case c.clients < 1:
		return fmt.Errorf("--clients must be at least 1, got %d", c.clients)
	case c.duration <= 0:
		return fmt.Errorf("--duration must be positive, got %v", c.duration)
	case c.warmup < 0:
		return fmt.Errorf("--warmup must not be negative, got %v", c.warmup)
	case c.sample < 1:
		return fmt.Errorf("--sample must be at least 1, got %d", c.sample)
	case c.connectRate < 0 || c.connectRate != c.connectRate:
		return fmt.Errorf("--connect-rate must be 0 (unlimited) or a positive rate per second, got %v", c.connectRate)
	case c.procs < 0:
		return fmt.Errorf("--procs must be 0 (default) or positive, got %d", c.procs)
	case c.handshakeTimeout <= 0:
		return fmt.Errorf("--handshake-timeout must be positive, got %v", c.handshakeTimeout)
	case c.progress < 0:
		return fmt.Errorf("--progress must not be negative, got %v", c.progress)
	}
	return nil
}

// isToken says whether s is an RFC 7230 token (header names, subprotocol names).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

func checkProtocol(p string) error {
	if p == "" {
		return nil
	}
	for _, e := range strings.Split(p, ",") {
		if !isToken(strings.TrimSpace(e)) {
			return fmt.Errorf("--protocol %q: each comma-separated entry must be a non-empty token", p)
		}
	}
	return nil
}

// reservedHeaders are written by the handshake itself; --protocol sets the subprotocol.
var reservedHeaders = []string{
	"upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
	"sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding",
}

func checkHeader(h string) (headerField, error) {
	name, value, ok := strings.Cut(h, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || !isToken(name) {
		return headerField{}, fmt.Errorf("--header %q: expected 'Name: value' with a token name", h)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return headerField{}, fmt.Errorf("--header %q: the value must not contain CR, LF or NUL", name)
	}
	for _, r := range reservedHeaders {
		if strings.EqualFold(name, r) {
			return headerField{}, fmt.Errorf("--header %s: set by the WebSocket handshake itself (use --protocol for the subprotocol)", name)
		}
	}
	return headerField{name, value}, nil
}

func subscribeMessages(flags []string, file string) ([]string, error) {
	msgs := append([]string(nil), flags...)
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--subscribe-file: %v", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				msgs = append(msgs, line)
			}
		}
	}
	for k, m := range msgs {
		if !utf8.ValidString(m) {
			return nil, fmt.Errorf("subscribe message %d is not valid UTF-8", k+1)
		}
		var v any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(m, "{i}", "0")), &v); err != nil {
			return nil, fmt.Errorf("subscribe message %d is not valid JSON (with {i} as 0): %v", k+1, err)
		}
	}
	return msgs, nil
}

func defineTCPFlags(c *tcpConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("tcp", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "measured window")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "time before the measured window")
	fs.IntVar(&c.conns, "conns", 1, "sender/receiver connection pairs")
	fs.IntVar(&c.writeSize, "write-size", 64<<10, "bytes per write on the sending side")
	fs.IntVar(&c.procs, "procs", 0, "GOMAXPROCS (0: Go's default, the CPU count)")
	return fs
}

func tcpFlagSet() *flag.FlagSet { return defineTCPFlags(&tcpConfig{}) }

func parseTCPFlags(args []string) (*tcpConfig, error) {
	var c tcpConfig
	fs := defineTCPFlags(&c)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (flags are --name value)", fs.Arg(0))
	case c.duration <= 0:
		return nil, fmt.Errorf("--duration must be positive, got %v", c.duration)
	case c.warmup < 0:
		return nil, fmt.Errorf("--warmup must not be negative, got %v", c.warmup)
	case c.conns < 1:
		return nil, fmt.Errorf("--conns must be at least 1, got %d", c.conns)
	case c.writeSize < 1 || c.writeSize > 64<<20:
		return nil, fmt.Errorf("--write-size must be 1 to %d bytes, got %d", 64<<20, c.writeSize)
	case c.procs < 0:
		return nil, fmt.Errorf("--procs must be 0 (default) or positive, got %d", c.procs)
	}
	return &c, nil
}
