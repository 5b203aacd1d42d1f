package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// runLoadgen runs the command in process and decodes its report.
func runLoadgen(t *testing.T, report any, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	if code == exitOK && report != nil {
		if err := json.Unmarshal(stdout.Bytes(), report); err != nil {
			t.Fatalf("stdout is not one JSON report: %v\n%s", err, stdout.String())
		}
	}
	return code, stderr.String()
}

// openWindow makes the test server wait until the measured window is open.
func openWindow(t *testing.T) chan struct{} {
	open := make(chan struct{})
	var once sync.Once
	measureHook = func() { once.Do(func() { close(open) }) }
	t.Cleanup(func() { measureHook = nil })
	return open
}

func nowMs() float64 { return float64(time.Now().UnixNano()) / 1e6 }

// msgpackUpdate is {"type":"update","seq":7,"asOf":<float64>} in MessagePack.
func msgpackUpdate(asOf float64) []byte {
	b := []byte{0x83, 0xa4, 't', 'y', 'p', 'e', 0xa6, 'u', 'p', 'd', 'a', 't', 'e', 0xa3, 's', 'e', 'q', 0x07}
	b = append(b, 0xa4, 'a', 's', 'O', 'f', 0xcb)
	return binary.BigEndian.AppendUint64(b, math.Float64bits(asOf))
}

// deskScript is what the server sends each client once the window opens: seven data messages
// (a reply, plain updates, a fragmented one with a ping inside, msgpack, a batch of two, a 70 KB
// snapshot, one from the future), then a close 1008. It reports the payload bytes it sent.
type deskResult struct {
	subscribe string
	payload   int64
	wire      int64
	pong      string
	closeCode int
}

func deskScript(t *testing.T, open chan struct{}, results chan<- deskResult) func(*serverConn) {
	return func(s *serverConn) {
		var res deskResult
		if op, p, ok := s.readClientFrame(t); ok && op == opText {
			res.subscribe = string(p)
		}
		<-open
		data := func(fin bool, op byte, p string) {
			s.send(t, fin, op, []byte(p))
			res.payload += int64(len(p))
		}
		past := nowMs() - 50
		data(true, opText, `{"type":"subscribed","id":0,"channels":["ticks:AAPL"]}`)
		data(true, opText, fmt.Sprintf(`{"type":"update","channel":"ticks:AAPL","seq":2,"ts":%.0f,"asOf":%.0f,"inputSeq":9,"data":{"bid":1}}`, past, past))
		frag := fmt.Sprintf(`{"type":"update","channel":"risk:P-DEMO","seq":3,"asOf":%.3f,"inputSeq":10,"data":{"asOf":1}}`, past-0.5)
		data(false, opText, frag[:20])
		s.send(t, true, opPing, []byte("hb-1"))
		data(false, opContinuation, frag[20:40])
		data(true, opContinuation, frag[40:])
		mp := msgpackUpdate(past)
		s.send(t, true, opBinary, mp)
		res.payload += int64(len(mp))
		data(true, opText, fmt.Sprintf(`[{"type":"update","data":{"asOf":1},"asOf":%.0f},{"type":"update","asOf":%.0f}]`, past, past))
		big := fmt.Sprintf(`{"type":"snapshot","asOf":%.0f,"data":{"pad":"%s"}}`, past, strings.Repeat("x", 70000))
		data(true, opText, big)
		data(true, opText, fmt.Sprintf(`{"type":"update","asOf":%.0f,"data":{"pad":"%s"}}`, past+60000, strings.Repeat("y", 300)))
		s.send(t, true, opClose, append([]byte{0x03, 0xf0}, "token expired"...)) // 1008
		s.flush(t)
		res.wire = s.wire
		if op, p, ok := s.readClientFrame(t); ok && op == opPong {
			res.pong = string(p)
		}
		if op, p, ok := s.readClientFrame(t); ok && op == opClose && len(p) >= 2 {
			res.closeCode = int(binary.BigEndian.Uint16(p))
		}
		results <- res
	}
}

func TestWSCountsLatencyAndCloseAgainstAKnownServer(t *testing.T) {
	open := openWindow(t)
	results := make(chan deskResult, 2)
	var authSeen, originSeen, protoSeen []string
	var mu sync.Mutex
	url := startServer(t, func(_ http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		authSeen = append(authSeen, r.Header.Get("Authorization"))
		originSeen = append(originSeen, r.Header.Get("Origin"))
		protoSeen = append(protoSeen, r.Header.Get("Sec-WebSocket-Protocol"))
		mu.Unlock()
		return false
	}, deskScript(t, open, results))

	var rep wsReport
	code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--clients", "2", "--duration", "30s", "--warmup", "0s",
		"--subscribe", `{"op":"subscribe","id":{i},"channels":["ticks:AAPL"]}`, "--header", "Authorization: Bearer T0K",
		"--header", "Origin: https://desk.example", "--protocol", "riskline.json", "--progress", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sent []deskResult
	for i := 0; i < 2; i++ {
		sent = append(sent, <-results)
	}
	subs := map[string]bool{}
	var payload, wire int64
	for _, s := range sent {
		subs[s.subscribe] = true
		payload += s.payload
		wire += s.wire
		if s.pong != "hb-1" {
			t.Errorf("pong payload %q, want hb-1", s.pong)
		}
		if s.closeCode != 1008 {
			t.Errorf("client answered the close with %d, want 1008", s.closeCode)
		}
	}
	for i := 0; i < 2; i++ {
		if want := fmt.Sprintf(`{"op":"subscribe","id":%d,"channels":["ticks:AAPL"]}`, i); !subs[want] {
			t.Errorf("no subscribe %s among %v", want, subs)
		}
	}
	for i := range authSeen {
		if authSeen[i] != "Bearer T0K" || originSeen[i] != "https://desk.example" || protoSeen[i] != "riskline.json" {
			t.Errorf("upgrade headers: auth %q origin %q protocol %q", authSeen[i], originSeen[i], protoSeen[i])
		}
	}

	if rep.Ended != endedAllGone || rep.Connect.Connected != 2 || rep.Connect.Failed != 0 {
		t.Errorf("ended %q, connected %d, failed %d", rep.Ended, rep.Connect.Connected, rep.Connect.Failed)
	}
	if rep.Messages != 14 || rep.Bytes != payload || rep.WireBytes != wire {
		t.Errorf("messages %d bytes %d wire %d, want 14, %d, %d", rep.Messages, rep.Bytes, rep.WireBytes, payload, wire)
	}
	if pc := rep.PerClientMessages; pc == nil || pc.Min != 7 || pc.Max != 7 {
		t.Errorf("per-client messages %+v, want 7 each", pc)
	}
	if rep.PingsAnswered != 2 || rep.Connect.Protocols["riskline.json"] != 2 {
		t.Errorf("pings answered %d, protocols %v", rep.PingsAnswered, rep.Connect.Protocols)
	}
	if c := rep.Closes["1008"]; c.Count != 2 || c.Reason != "token expired" || rep.Lost.Count != 0 {
		t.Errorf("closes %v, lost %+v", rep.Closes, rep.Lost)
	}
	// Seven frames with an asOf per client (the batch has two), one of them 60 s in the future.
	l := rep.Latency
	if l.Samples != 14 || l.Negative != 2 {
		t.Fatalf("latency samples %d negative %d, want 14 and 2", l.Samples, l.Negative)
	}
	if *l.P50 < 49.5 || *l.P50 > 2000 || *l.Max < 50 || *l.Max > 2000 || *l.Min > -59000 {
		t.Errorf("latency p50 %v max %v min %v: want about 50 ms, and -60 s for the future frame", *l.P50, *l.Max, *l.Min)
	}
	if rep.Connect.WithoutData != 0 || rep.Connect.AllFirstDataMs == nil || rep.Connect.FirstDataMs == nil {
		t.Errorf("first data: %+v", rep.Connect)
	}
}

func TestWSRefusedUpgradesAreReportedNotFatal(t *testing.T) {
	url := startServer(t, func(w http.ResponseWriter, _ *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"UNAUTHENTICATED","message":"token expired"}`))
		return true
	}, nil)
	var rep wsReport
	code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--clients", "3", "--duration", "30s", "--progress", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `HTTP 401 {"code":"UNAUTHENTICATED","message":"token expired"}`
	if rep.Connect.Failed != 3 || rep.Connect.Errors[want] != 3 || rep.Ended != endedAllGone {
		t.Errorf("failed %d errors %v ended %q", rep.Connect.Failed, rep.Connect.Errors, rep.Ended)
	}
	if rep.Connect.AllConnectedMs != nil || rep.PerClientMessages != nil || rep.Latency.P50 != nil {
		t.Errorf("with no client connected these must be null: %+v %+v %+v", rep.Connect.AllConnectedMs, rep.PerClientMessages, rep.Latency)
	}
}

func TestWSWrongAcceptIsAFailedUpgrade(t *testing.T) {
	url := startServer(t, func(w http.ResponseWriter, _ *http.Request) bool {
		conn, rw, _ := w.(http.Hijacker).Hijack()
		defer conn.Close()
		fmt.Fprint(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IGl0\r\n\r\n")
		_ = rw.Flush()
		return true
	}, nil)
	var rep wsReport
	if code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--duration", "30s", "--progress", "0"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Connect.Errors[`101 with a wrong Sec-WebSocket-Accept "bm90IGl0"`] != 1 {
		t.Errorf("errors %v", rep.Connect.Errors)
	}
}

func TestWSMaskedServerFrameIsAProtocolError(t *testing.T) {
	open := openWindow(t)
	got := make(chan int, 1)
	url := startServer(t, nil, func(s *serverConn) {
		<-open
		f := serverFrame(true, opText, []byte("{}"))
		f[1] |= 0x80 // a server must not mask
		_, _ = s.rw.Write(append(f, 1, 2, 3, 4))
		s.flush(t)
		if op, p, ok := s.readClientFrame(t); ok && op == opClose && len(p) >= 2 {
			got <- int(binary.BigEndian.Uint16(p))
		}
		close(got)
	})
	var rep wsReport
	if code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--duration", "30s", "--warmup", "0s", "--progress", "0"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Lost.Count != 1 || rep.Lost.Errors["protocol: masked server frame"] != 1 {
		t.Errorf("lost %+v", rep.Lost)
	}
	if c := <-got; c != closeProtocol {
		t.Errorf("client closed with %d, want 1002", c)
	}
}

func TestWSWindowEndsOnTimeAndClosesNormally(t *testing.T) {
	open := openWindow(t)
	got := make(chan int, 1)
	url := startServer(t, nil, func(s *serverConn) {
		<-open
		for i := 0; i < 5; i++ {
			s.send(t, true, opText, []byte(fmt.Sprintf(`{"type":"update","asOf":%.0f}`, nowMs())))
		}
		s.flush(t)
		if op, p, ok := s.readClientFrame(t); ok && op == opClose && len(p) >= 2 {
			got <- int(binary.BigEndian.Uint16(p))
		}
		close(got)
	})
	var rep wsReport
	code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--duration", "300ms", "--warmup", "0s", "--sample", "2", "--progress", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Ended != endedDuration || rep.WindowS < 0.29 || rep.Messages != 5 || rep.MessagesPerS <= 0 {
		t.Errorf("%+v ended %q window %v messages %d rate %v", rep.Connect, rep.Ended, rep.WindowS, rep.Messages, rep.MessagesPerS)
	}
	// --sample 2 parses messages 2 and 4 of client 0 for latency.
	if rep.Latency.Samples != 2 || len(rep.Closes) != 0 || rep.Lost.Count != 0 {
		t.Errorf("samples %d closes %v lost %+v", rep.Latency.Samples, rep.Closes, rep.Lost)
	}
	if c := <-got; c != closeNormal {
		t.Errorf("client closed with %d, want 1000", c)
	}
	if rep.CPU.Procs < 1 || rep.CPU.TotalS < 0 {
		t.Errorf("cpu %+v", rep.CPU)
	}
}

func TestWSRefusedConnectionIsAConnectError(t *testing.T) {
	var rep wsReport
	// Port 1 on loopback: nothing listens there.
	if code, stderr := runLoadgen(t, &rep, "ws", "--url", "ws://127.0.0.1:1/v1/stream", "--clients", "2", "--progress", "0"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Connect.Failed != 2 || rep.Connect.Errors["dial: connect: connection refused"] != 2 {
		t.Errorf("connect %+v", rep.Connect)
	}
}

func TestWSUnofferedSubprotocolIsAFailedUpgrade(t *testing.T) {
	url := startServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		conn, rw, _ := w.(http.Hijacker).Hijack()
		defer conn.Close()
		fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
			"Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: riskline.msgpack\r\n\r\n", acceptFor(r.Header.Get("Sec-WebSocket-Key")))
		_ = rw.Flush()
		return true
	}, nil)
	var rep wsReport
	if code, stderr := runLoadgen(t, &rep, "ws", "--url", url, "--protocol", "riskline.json", "--progress", "0"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Connect.Errors[`101 with subprotocol "riskline.msgpack", which was not offered`] != 1 {
		t.Errorf("errors %v", rep.Connect.Errors)
	}
}
