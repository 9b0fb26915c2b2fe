package pebblestore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/crawlhq/crawl/internal/frontier"
)

// OutputMark describes record lines about to be appended to the output
// file: which file (device and inode), at what offset, and the lines
// themselves. Complete with a mark commits it with the leases in one
// batch, before the lines are written; after a crash, the output file
// tells whether the write happened (see PendingOutput), so the crawl
// neither loses nor repeats those records.
type OutputMark struct {
	Dev, Ino uint64
	Offset   int64
	Lines    []byte
}

var keyPending = []byte("m/output")

// CompleteOutput is Complete, recording mark as the output's pending
// append in the same commit.
func (f *Frontier) CompleteOutput(ctx context.Context, ls []*frontier.Lease, mark OutputMark) error {
	return f.complete(ctx, ls, func(b *pebble.Batch) error {
		return b.Set(keyPending, encodeMark(mark), nil)
	})
}

// PendingOutput returns the last output mark committed by a run that did
// not end normally; ok is false when there is none.
func (db *DB) PendingOutput() (mark OutputMark, ok bool, err error) {
	if err := db.acquire(); err != nil {
		return OutputMark{}, false, err
	}
	defer db.life.RUnlock()
	v, closer, err := db.pdb.Get(keyPending)
	if errors.Is(err, pebble.ErrNotFound) {
		return OutputMark{}, false, nil
	}
	if err != nil {
		return OutputMark{}, false, fmt.Errorf("%w: reading the output mark: %w", ErrCorrupt, err)
	}
	defer closer.Close()
	mark, err = decodeMark(v)
	if err != nil {
		return OutputMark{}, false, fmt.Errorf("%w: output mark: %w", ErrCorrupt, err)
	}
	return mark, true, nil
}

// ClearPendingOutput forgets the output mark, once the caller has made
// sure its lines are in the output.
func (db *DB) ClearPendingOutput() error {
	if err := db.acquire(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	b := db.pdb.NewBatch()
	defer b.Close()
	if err := b.Delete(keyPending, nil); err != nil {
		return err
	}
	return db.commit(b, pebble.Sync)
}

func encodeMark(m OutputMark) []byte {
	b := make([]byte, 0, 3*binary.MaxVarintLen64+len(m.Lines))
	b = binary.AppendUvarint(b, m.Dev)
	b = binary.AppendUvarint(b, m.Ino)
	b = binary.AppendVarint(b, m.Offset)
	return append(b, m.Lines...)
}

func decodeMark(b []byte) (OutputMark, error) {
	var m OutputMark
	var n int
	if m.Dev, n = binary.Uvarint(b); n <= 0 {
		return m, errors.New("bad device")
	}
	b = b[n:]
	if m.Ino, n = binary.Uvarint(b); n <= 0 {
		return m, errors.New("bad inode")
	}
	b = b[n:]
	if m.Offset, n = binary.Varint(b); n <= 0 {
		return m, errors.New("bad offset")
	}
	m.Lines = append([]byte(nil), b[n:]...)
	return m, nil
}
