package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxAssembled bounds a fragmented message copied for parsing; larger ones are counted, not parsed.
const maxAssembled = 64 << 20

// client is one WebSocket connection, driven by one goroutine.
type client struct {
	idx  int
	r    *wsRun
	hist *histogram // a latency shard shared with a few other clients

	// Counted from the upgrade on; main reads them at the window's edges.
	msgs, bytes, wire, pings atomic.Int64

	mu      sync.Mutex
	conn    net.Conn
	stopped bool

	// Written by the goroutine, read by main once it has ended.
	dialStart, upgraded, firstMsg, firstData time.Time
	protocol                                 string
	connectErr, lostErr                      error
	closed                                   *closeReceived
	lat                                      latencyStats

	// Reader state, private to the goroutine.
	n     uint64    // data messages seen
	asofs []float64 // reused for each parsed message
	buf   []byte    // a fragmented or oversized message, assembled for parsing
	out   []byte    // outgoing frames
	ctrl  [maxControlBytes]byte
}

type latencyStats struct {
	count, negative uint64
	sum, min, max   float64
}

// closeReceived ends a connection the server closed with a close frame.
type closeReceived struct {
	code   int
	reason string
}

func (e *closeReceived) Error() string { return "closed " + strconv.Itoa(e.code) + " " + e.reason }

func (c *client) run(ctx context.Context) {
	defer c.r.clientGone()
	c.dialStart = time.Now()
	conn, br, err := c.connect(ctx)
	if err != nil {
		c.connectErr = err
		c.r.failed.Add(1)
		c.r.connectWG.Done()
		return
	}
	c.r.connected.Add(1)
	c.r.connectWG.Done()
	c.finish(conn, c.read(conn, br))
}

// connect dials, upgrades and sends the subscribe messages.
func (c *client) connect(ctx context.Context) (net.Conn, *bufio.Reader, error) {
	up := c.r.up
	conn, err := up.dial(ctx, c.register)
	if err != nil {
		return nil, nil, err
	}
	br, proto, err := up.upgrade(conn)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	c.upgraded, c.protocol = time.Now(), proto
	index := strconv.Itoa(c.idx)
	out := c.out[:0]
	for _, t := range c.r.cfg.subscribe {
		out = appendFrame(out, opText, []byte(strings.ReplaceAll(t, "{i}", index)))
	}
	c.out = out
	if len(out) > 0 {
		if _, err := conn.Write(out); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		conn.Close()
		return nil, nil, context.Canceled
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, br, nil
}

// register makes the connection reachable by stop; false once the run is stopping.
func (c *client) register(conn net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn = conn
	return !c.stopped
}

// stop ends the connection's blocking read (and bounds a blocked write) from another goroutine.
func (c *client) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	if c.conn != nil {
		_ = c.conn.SetReadDeadline(time.Unix(1, 0))
		_ = c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	}
}

func (c *client) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// finish records how the connection ended and closes it, answering or sending a close frame.
func (c *client) finish(conn net.Conn, end error) {
	var ce *closeReceived
	var pe *protocolError
	switch {
	case errors.As(end, &ce):
		c.closed = ce
		_, _ = conn.Write(appendFrame(c.out[:0], opClose, closePayload(ce.code, "")))
	case c.isStopped():
		_, _ = conn.Write(appendFrame(c.out[:0], opClose, closePayload(closeNormal, "")))
	case errors.As(end, &pe):
		c.lostErr = end
		_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = conn.Write(appendFrame(c.out[:0], opClose, closePayload(closeProtocol, "")))
	default:
		c.lostErr = end
	}
	conn.Close()
}

// read counts frames until the connection ends, parsing only the messages that are sampled (and
// every message until the first one with an asOf). Payloads are peeked in the reader's buffer.
func (c *client) read(conn net.Conn, br *bufio.Reader) error {
	var (
		inMsg, want, sampled bool
		msgOp                byte
		msgLen               int64
	)
	for {
		op, fin, n, err := c.frameHeader(br)
		if err != nil {
			return err
		}
		if op >= opClose {
			if err := c.control(conn, br, op, fin, n); err != nil {
				return err
			}
			continue
		}
		switch op {
		case opContinuation:
			if !inMsg {
				return protocolErrorf("continuation frame outside a fragmented message")
			}
		case opText, opBinary:
			if inMsg {
				return protocolErrorf("new data frame inside a fragmented message")
			}
			inMsg, msgOp, msgLen = true, op, 0
			c.n++
			sampled = c.r.phase.Load() == phaseMeasure && (c.n+uint64(c.idx))%c.r.sample == 0
			want = sampled || c.firstData.IsZero()
			c.buf = c.buf[:0]
			if want && fin && n <= readBuffer {
				p, err := br.Peek(int(n))
				if err != nil {
					return err
				}
				c.complete(op, n, p, true, sampled)
				if _, err := br.Discard(int(n)); err != nil {
					return err
				}
				inMsg = false
				continue
			}
		default:
			return protocolErrorf("reserved opcode %d", op)
		}
		msgLen += n
		if want && int64(len(c.buf))+n <= maxAssembled {
			l := len(c.buf)
			c.buf = growTo(c.buf, l+int(n))
			if _, err := io.ReadFull(br, c.buf[l:]); err != nil {
				return err
			}
		} else {
			want = false
			if _, err := br.Discard(int(n)); err != nil {
				return err
			}
		}
		if fin {
			c.complete(msgOp, msgLen, c.buf, want, sampled)
			inMsg = false
		}
	}
}

// frameHeader reads one frame header: opcode, FIN and payload length.
func (c *client) frameHeader(br *bufio.Reader) (op byte, fin bool, n int64, err error) {
	h, err := br.Peek(2)
	if err != nil {
		return 0, false, 0, err
	}
	b0, b1 := h[0], h[1]
	if b0&0x70 != 0 {
		return 0, false, 0, protocolErrorf("RSV bits set, no extension was negotiated")
	}
	if b1&0x80 != 0 {
		return 0, false, 0, protocolErrorf("masked server frame")
	}
	n, hl := int64(b1&0x7f), 2
	switch n {
	case 126:
		if h, err = br.Peek(4); err != nil {
			return 0, false, 0, err
		}
		n, hl = int64(binary.BigEndian.Uint16(h[2:])), 4
	case 127:
		if h, err = br.Peek(10); err != nil {
			return 0, false, 0, err
		}
		u := binary.BigEndian.Uint64(h[2:])
		if u > 1<<53 {
			return 0, false, 0, protocolErrorf("frame length %d", u)
		}
		n, hl = int64(u), 10
	}
	if _, err := br.Discard(hl); err != nil {
		return 0, false, 0, err
	}
	c.wire.Add(int64(hl) + n)
	return b0 & 0x0f, b0&0x80 != 0, n, nil
}

func growTo(b []byte, n int) []byte {
	if n <= cap(b) {
		return b[:n]
	}
	nb := make([]byte, n, max(n, 2*cap(b)))
	copy(nb, b)
	return nb
}

// control handles ping (answered with a pong of the same payload), pong and close.
func (c *client) control(conn net.Conn, br *bufio.Reader, op byte, fin bool, n int64) error {
	if !fin || n > maxControlBytes {
		return protocolErrorf("control frame fragmented or longer than 125 bytes")
	}
	p := c.ctrl[:n]
	if _, err := io.ReadFull(br, p); err != nil {
		return err
	}
	switch op {
	case opPing:
		c.out = appendFrame(c.out[:0], opPong, p)
		c.pings.Add(1)
		_, err := conn.Write(c.out)
		return err
	case opPong:
		return nil
	case opClose:
		switch {
		case n == 0:
			return &closeReceived{code: closeNoStatus}
		case n == 1:
			return protocolErrorf("close frame with a one-byte body")
		}
		return &closeReceived{code: int(binary.BigEndian.Uint16(p)), reason: string(p[2:])}
	}
	return protocolErrorf("reserved control opcode %d", op)
}

// complete counts a whole message and, when it was kept, reads its asOf values.
func (c *client) complete(op byte, n int64, p []byte, parse, sampled bool) {
	c.msgs.Add(1)
	c.bytes.Add(n)
	if !parse {
		return
	}
	now := time.Now()
	if c.firstMsg.IsZero() {
		c.firstMsg = now
	}
	c.asofs = appendAsOfs(c.asofs[:0], p, op == opBinary)
	if len(c.asofs) == 0 {
		return
	}
	if c.firstData.IsZero() {
		c.firstData = now
	}
	if !sampled {
		return
	}
	nowMs := float64(now.UnixNano()) / 1e6
	for _, a := range c.asofs {
		if !math.IsNaN(a) && !math.IsInf(a, 0) {
			c.recordLatency(nowMs - a)
		}
	}
}

func (c *client) recordLatency(ms float64) {
	l := &c.lat
	if l.count == 0 || ms < l.min {
		l.min = ms
	}
	if l.count == 0 || ms > l.max {
		l.max = ms
	}
	l.count++
	l.sum += ms
	if ms < 0 {
		l.negative++
		ms = 0
	}
	c.hist.record(uint64(math.Min(ms, 1e15)*1000 + 0.5))
}
