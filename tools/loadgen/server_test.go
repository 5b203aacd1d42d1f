package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A WebSocket server for the tests, on net/http's hijack: it upgrades, then runs a script.

type serverConn struct {
	conn net.Conn
	rw   *bufio.ReadWriter
	req  *http.Request
	// wire counts the bytes of every frame written, as the client should count them.
	wire int64
}

// startServer serves upgrades at /v1/stream; reply, when set, answers instead of upgrading.
func startServer(t *testing.T, reply func(w http.ResponseWriter, r *http.Request) bool, script func(*serverConn)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reply != nil && reply(w, r) {
			return
		}
		if r.URL.Path != "/v1/stream" || r.Header.Get("Sec-WebSocket-Version") != "13" ||
			!strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "not a websocket upgrade", http.StatusBadRequest)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		proto := ""
		if strings.Contains(r.Header.Get("Sec-WebSocket-Protocol"), "riskline.json") {
			proto = "Sec-WebSocket-Protocol: riskline.json\r\n"
		}
		fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
			"Sec-WebSocket-Accept: %s\r\n%s\r\n", acceptFor(r.Header.Get("Sec-WebSocket-Key")), proto)
		if err := rw.Flush(); err != nil {
			t.Errorf("flush: %v", err)
			return
		}
		script(&serverConn{conn: conn, rw: rw, req: r})
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/stream"
}

// serverFrame is an unmasked frame as a server sends it.
func serverFrame(fin bool, op byte, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0}
	switch n := len(payload); {
	case n < 126:
		out = append(out, byte(n))
	case n <= 0xFFFF:
		out = append(out, 126, byte(n>>8), byte(n))
	default:
		out = append(out, 127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	return append(out, payload...)
}

func (s *serverConn) send(t *testing.T, fin bool, op byte, payload []byte) {
	t.Helper()
	f := serverFrame(fin, op, payload)
	s.wire += int64(len(f))
	if _, err := s.rw.Write(f); err != nil {
		t.Errorf("server write: %v", err)
	}
}

func (s *serverConn) flush(t *testing.T) {
	t.Helper()
	if err := s.rw.Flush(); err != nil {
		t.Errorf("server flush: %v", err)
	}
}

// readClientFrame reads one client frame and unmasks it; a client frame must be masked and final.
func (s *serverConn) readClientFrame(t *testing.T) (byte, []byte, bool) {
	t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(s.rw, h[:]); err != nil {
		t.Errorf("server read: %v", err)
		return 0, nil, false
	}
	if h[0]&0x80 == 0 || h[1]&0x80 == 0 {
		t.Errorf("client frame not final or not masked: % x", h)
		return 0, nil, false
	}
	n := int(h[1] & 0x7f)
	switch n {
	case 126:
		var e [2]byte
		_, _ = io.ReadFull(s.rw, e[:])
		n = int(binary.BigEndian.Uint16(e[:]))
	case 127:
		var e [8]byte
		_, _ = io.ReadFull(s.rw, e[:])
		n = int(binary.BigEndian.Uint64(e[:]))
	}
	var key [4]byte
	if _, err := io.ReadFull(s.rw, key[:]); err != nil {
		t.Errorf("server read mask: %v", err)
		return 0, nil, false
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(s.rw, p); err != nil {
		t.Errorf("server read payload: %v", err)
		return 0, nil, false
	}
	for i := range p {
		p[i] ^= key[i&3]
	}
	return h[0] & 0x0f, p, true
}
