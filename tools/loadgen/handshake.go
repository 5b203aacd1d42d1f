package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

const (
	wsGUID     = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	readBuffer = 64 << 10
)

// upgrader holds what every connection's upgrade request shares, built once.
type upgrader struct {
	addr     string
	tls      *tls.Config
	head     []byte // request line and headers, without the key line and the blank line
	offered  []string
	deadline time.Duration
}

func newUpgrader(cfg *wsConfig) *upgrader {
	u := cfg.url
	port := u.Port()
	if port == "" {
		port = map[string]string{"ws": "80", "wss": "443"}[u.Scheme]
	}
	up := &upgrader{addr: net.JoinHostPort(u.Hostname(), port), deadline: cfg.handshakeTimeout}
	if u.Scheme == "wss" {
		up.tls = &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: cfg.insecure} //nolint:gosec // opt-in flag
	}
	host := u.Host
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", u.RequestURI())
	for _, h := range cfg.headers {
		if strings.EqualFold(h.name, "host") {
			host = h.value
		}
	}
	fmt.Fprintf(&b, "Host: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n", host)
	if cfg.protocol != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", cfg.protocol)
		for _, p := range strings.Split(cfg.protocol, ",") {
			up.offered = append(up.offered, strings.TrimSpace(p))
		}
	}
	for _, h := range cfg.headers {
		if !strings.EqualFold(h.name, "host") {
			fmt.Fprintf(&b, "%s: %s\r\n", h.name, h.value)
		}
	}
	up.head = []byte(b.String())
	return up
}

// handshakeError is a refused or malformed upgrade (as opposed to a network failure).
type handshakeError struct{ msg string }

func (e *handshakeError) Error() string { return e.msg }

// dial opens the TCP (and TLS) connection; register lets the caller reach it to stop it early.
func (up *upgrader) dial(ctx context.Context, register func(net.Conn) bool) (net.Conn, error) {
	d := net.Dialer{Timeout: up.deadline}
	conn, err := d.DialContext(ctx, "tcp", up.addr)
	if err != nil {
		return nil, err
	}
	if !register(conn) {
		conn.Close()
		return nil, context.Canceled
	}
	_ = conn.SetDeadline(time.Now().Add(up.deadline))
	if up.tls != nil {
		tc := tls.Client(conn, up.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		if !register(tc) {
			tc.Close()
			return nil, context.Canceled
		}
		conn = tc
	}
	return conn, nil
}

// upgrade sends the HTTP/1.1 upgrade and checks the 101 reply; frames the server sent right
// after it stay in the returned reader. Returns the subprotocol the server chose ("" for none).
func (up *upgrader) upgrade(conn net.Conn) (*bufio.Reader, string, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, "", err
	}
	key := base64.StdEncoding.EncodeToString(raw[:])
	req := make([]byte, 0, len(up.head)+64)
	req = append(req, up.head...)
	req = append(req, "Sec-WebSocket-Key: "...)
	req = append(req, key...)
	req = append(req, "\r\n\r\n"...)
	if _, err := conn.Write(req); err != nil {
		return nil, "", err
	}
	br := bufio.NewReaderSize(conn, readBuffer)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, "", &handshakeError{"connection closed before the upgrade reply"}
		}
		return nil, "", err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		resp.Body.Close()
		return nil, "", &handshakeError{fmt.Sprintf("HTTP %d %s", resp.StatusCode, oneLine(string(body)))}
	}
	proto, err := up.checkReply(resp.Header, key)
	if err != nil {
		return nil, "", err
	}
	return br, proto, nil
}

func (up *upgrader) checkReply(h http.Header, key string) (string, error) {
	if !strings.EqualFold(h.Get("Upgrade"), "websocket") {
		return "", &handshakeError{fmt.Sprintf("101 without Upgrade: websocket (got %q)", h.Get("Upgrade"))}
	}
	if !headerHasToken(h.Values("Connection"), "upgrade") {
		return "", &handshakeError{"101 without Connection: Upgrade"}
	}
	if got, want := h.Get("Sec-WebSocket-Accept"), acceptFor(key); got != want {
		return "", &handshakeError{fmt.Sprintf("101 with a wrong Sec-WebSocket-Accept %q", got)}
	}
	if ext := h.Get("Sec-WebSocket-Extensions"); ext != "" {
		return "", &handshakeError{fmt.Sprintf("101 with an extension none was offered: %q", ext)}
	}
	proto := h.Get("Sec-WebSocket-Protocol")
	if proto == "" {
		return "", nil
	}
	for _, p := range up.offered {
		if p == proto {
			return proto, nil
		}
	}
	return "", &handshakeError{fmt.Sprintf("101 with subprotocol %q, which was not offered", proto)}
}

func acceptFor(key string) string {
	sum := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func headerHasToken(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
