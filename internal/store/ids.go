package store

import (
	"crypto/rand"
	"encoding/hex"
)

// NewID returns a new random record identifier: 32 hexadecimal characters,
// the most HUD's S32 key columns hold.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
