package main

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
)

// WebSocket opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes this client sends or records.
const (
	closeNormal     = 1000
	closeProtocol   = 1002
	closeNoStatus   = 1005
	maxControlBytes = 125
)

// protocolError is a server frame that breaks RFC 6455; the connection is closed with 1002.
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return "protocol: " + e.msg }

func protocolErrorf(format string, a ...any) error {
	return &protocolError{fmt.Sprintf(format, a...)}
}

// appendFrame appends one final client frame, masked as RFC 6455 §5.3 requires of a client.
func appendFrame(dst []byte, op byte, payload []byte) []byte {
	dst = append(dst, 0x80|op)
	n := len(payload)
	switch {
	case n < 126:
		dst = append(dst, 0x80|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, 0x80|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	var key [4]byte
	_, _ = rand.Read(key[:]) // the RFC asks for an unpredictable key; crypto/rand does not fail on Linux
	dst = append(dst, key[:]...)
	start := len(dst)
	dst = append(dst, payload...)
	for i := range dst[start:] {
		dst[start+i] ^= key[i&3]
	}
	return dst
}

// closePayload is a close frame's body: the code, then the UTF-8 reason.
func closePayload(code int, reason string) []byte {
	if code == closeNoStatus {
		return nil
	}
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(p, reason...)
}
