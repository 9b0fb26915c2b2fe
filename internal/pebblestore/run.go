package pebblestore

import (
	"context"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// RunStats is what a run did, for EndRun.
type RunStats struct {
	Records int64 // records written
	Errors  int64 // of which failures
}

// RunInfo describes one run of a crawl on a state directory.
type RunInfo struct {
	ID      uint64    `json:"id"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end,omitzero"` // zero while running or when the run was killed
	Records int64     `json:"records"`
	Errors  int64     `json:"errors"`
}

// checkVersion writes the format version into a new store and checks it
// in one that has data.
func (db *DB) checkVersion() error {
	v, found, err := db.get(keyVersion)
	if err != nil {
		return err
	}
	if !found {
		return db.initVersion()
	}
	n, err := decodeUvarint(v)
	if err != nil {
		return corrupt(db.dir, "format version", err)
	}
	if n != formatVersion {
		return fmt.Errorf("pebblestore: %s holds crawl state in format %d; this crawl reads format %d: %w",
			db.dir, n, formatVersion, ErrVersion)
	}
	return nil
}

// initVersion stamps an empty store; a store with keys but no version is
// not a crawl state this package wrote.
func (db *DB) initVersion() error {
	iter, err := db.pdb.NewIter(nil)
	if err != nil {
		return corrupt(db.dir, "scan", err)
	}
	empty := !iter.First()
	if err := iter.Close(); err != nil {
		return corrupt(db.dir, "scan", err)
	}
	if !empty {
		return corrupt(db.dir, "no format version", errDecode)
	}
	if err := db.pdb.Set(keyVersion, uvarintValue(formatVersion), pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: %s: write: %w", db.dir, err)
	}
	return nil
}

// startRun takes the next run id and records the run's start and
// settings, in one batch: a run is either recorded or never began.
func (db *DB) startRun() error {
	last, err := db.getUvarint(keyRun)
	if err != nil {
		return err
	}
	db.run = last + 1
	b := db.pdb.NewBatch()
	defer b.Close()
	b.Set(keyRun, uvarintValue(db.run), nil)
	info := RunInfo{ID: db.run, Start: db.clock.Now()}
	b.Set(runKey(db.run), encodeRun(&info), nil)
	if db.opts.Settings != nil {
		b.Set(keySettings, db.opts.Settings, nil)
	}
	return db.commit(b, pebble.Sync)
}

// EndRun records the end of this run and what it did. Call it once the
// crawl is over, before Close; a run that never calls it (killed, say)
// keeps a zero End.
func (db *DB) EndRun(ctx context.Context, st RunStats) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.acquire(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	v, _, err := db.get(runKey(db.run))
	if err != nil {
		return err
	}
	info, err := decodeRun(v)
	if err != nil {
		return corrupt(db.dir, "run record", err)
	}
	info.ID, info.End, info.Records, info.Errors = db.run, db.clock.Now(), st.Records, st.Errors
	if err := db.pdb.Set(runKey(db.run), encodeRun(&info), pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: %s: write: %w", db.dir, err)
	}
	return nil
}

func encodeRun(r *RunInfo) []byte {
	b := appendTime(nil, r.Start)
	b = appendTime(b, r.End)
	b = appendUvarint(b, uint64(r.Records))
	return appendUvarint(b, uint64(r.Errors))
}

func decodeRun(b []byte) (RunInfo, error) {
	r := reader{b: b}
	info := RunInfo{Start: r.time(), End: r.time()}
	info.Records, info.Errors = int64(r.uvarint()), int64(r.uvarint())
	return info, r.done()
}
