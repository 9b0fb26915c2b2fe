package pebblestore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cockroachdb/pebble/v2"
)

// Summary is what a state directory holds, for `crawl state DIR`.
type Summary struct {
	Dir     string `json:"dir"`
	Format  int    `json:"format"`
	URLs    int64  `json:"urls"`    // URLs known
	Queued  int64  `json:"queued"`  // items in the queues (URLs and robots.txt)
	Done    int64  `json:"done"`    // URLs fetched
	Failed  int64  `json:"failed"`  // URLs whose last fetch got no usable response
	Skipped int64  `json:"skipped"` // URLs completed without a fetch (robots.txt)
	Keys    int64  `json:"keys"`    // other item keys (robots.txt of a host)
	Hosts   int64  `json:"hosts"`
	Robots  int64  `json:"robots"` // hosts with a stored robots.txt
	Runs    int64  `json:"runs"`
	// LastRun is the latest run; its End is zero while it runs or when it
	// was killed.
	LastRun  *RunInfo        `json:"last_run,omitempty"`
	Settings json.RawMessage `json:"settings,omitempty"` // of the latest run
}

// Summarize reads the state in dir without changing it: pebble opens it
// read-only. It takes the directory's lock, though, so that it never
// reads a store being written: while a crawl uses dir it fails at once
// with ErrLocked. A dir without state is fs.ErrNotExist.
func Summarize(dir string) (Summary, error) {
	if _, err := os.Stat(storeDir(dir)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Summary{}, fmt.Errorf("pebblestore: no crawl state in %s: %w", dir, fs.ErrNotExist)
		}
		return Summary{}, fmt.Errorf("pebblestore: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return Summary{}, err
	}
	defer lock.Close()
	pdb, err := openPebble(dir, 8<<20, true, true)
	if err != nil {
		return Summary{}, err
	}
	defer pdb.Close()
	s := Summary{Dir: dir}
	if err := s.read(pdb); err != nil {
		return Summary{}, err
	}
	return s, nil
}

// read fills s from one scan of the whole store.
func (s *Summary) read(pdb *pebble.DB) error {
	if err := s.readVersion(pdb); err != nil {
		return err
	}
	iter, err := pdb.NewIter(nil)
	if err != nil {
		return corrupt(s.Dir, "scan", err)
	}
	for valid := iter.First(); valid; valid = iter.Next() {
		if err := s.count(iter); err != nil {
			iter.Close()
			return err
		}
	}
	if err := iter.Close(); err != nil {
		return corrupt(s.Dir, "scan", err)
	}
	return nil
}

func (s *Summary) readVersion(pdb *pebble.DB) error {
	v, found, err := get(s.Dir, pdb, keyVersion)
	if err != nil {
		return err
	}
	if !found {
		return corrupt(s.Dir, "no format version", errDecode)
	}
	n, err := decodeUvarint(v)
	if err != nil {
		return corrupt(s.Dir, "format version", err)
	}
	s.Format = int(n)
	if n != formatVersion {
		return fmt.Errorf("pebblestore: %s holds crawl state in format %d; this crawl reads format %d: %w",
			s.Dir, n, formatVersion, ErrVersion)
	}
	return nil
}

// count adds the key under iter to s.
func (s *Summary) count(iter *pebble.Iterator) error {
	k := iter.Key()
	switch {
	case bytes.HasPrefix(k, prefixURL):
		return s.countURL(iter)
	case bytes.HasPrefix(k, prefixKey):
		s.Keys++
	case bytes.HasPrefix(k, prefixQueue):
		s.Queued++
	case bytes.HasPrefix(k, prefixHost):
		s.Hosts++
	case bytes.HasPrefix(k, prefixRobot):
		s.Robots++
	case bytes.HasPrefix(k, prefixRuns):
		return s.countRun(iter)
	case bytes.Equal(k, keySettings):
		return s.readSettings(iter)
	}
	return nil
}

func (s *Summary) countURL(iter *pebble.Iterator) error {
	url := string(iter.Key()[len(prefixURL):])
	v, err := iter.ValueAndErr()
	if err != nil {
		return corrupt(s.Dir, "scan", err)
	}
	rec, err := decodeRecord(url, v)
	if err != nil {
		return corrupt(s.Dir, "record of "+url, err)
	}
	s.URLs++
	switch rec.State {
	case stateDone:
		s.Done++
	case stateFailed:
		s.Failed++
	case stateSkipped:
		s.Skipped++
	}
	return nil
}

func (s *Summary) countRun(iter *pebble.Iterator) error {
	v, err := iter.ValueAndErr()
	if err != nil {
		return corrupt(s.Dir, "scan", err)
	}
	info, err := decodeRun(v)
	k := iter.Key()
	if err != nil || len(k) != len(prefixRuns)+8 {
		return corrupt(s.Dir, "run record", errDecode)
	}
	info.ID = uint64FromKey(k[len(prefixRuns):])
	s.Runs++
	s.LastRun = &info // runs sort by id: the last one read is the latest
	return nil
}

func (s *Summary) readSettings(iter *pebble.Iterator) error {
	v, err := iter.ValueAndErr()
	if err != nil {
		return corrupt(s.Dir, "scan", err)
	}
	if json.Valid(v) {
		s.Settings = append(json.RawMessage(nil), v...)
	}
	return nil
}
