package pebblestore

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that a closed DB leaves no goroutine behind, pebble's
// included.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
