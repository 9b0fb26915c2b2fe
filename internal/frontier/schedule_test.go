package frontier

import (
	"testing"
	"time"
)

type testHost struct {
	Slot
	name string
}

func TestSchedule(t *testing.T) {
	var s Schedule[*testHost]
	t0 := time.Unix(1000, 0)
	hs := map[string]*testHost{}
	for i, n := range []string{"c", "a", "d", "b"} {
		h := &testHost{name: n}
		h.ReadyAt = t0.Add(time.Duration([]int{3, 1, 4, 2}[i]) * time.Second)
		hs[n] = h
		s.Set(h)
	}
	hs["d"].ReadyAt = t0 // moves to the front
	s.Set(hs["d"])
	s.Remove(hs["b"])
	s.Remove(hs["b"]) // not there: nothing happens
	if hs["b"].Scheduled() || !hs["a"].Scheduled() {
		t.Fatal("Scheduled does not follow Set and Remove")
	}
	var got string
	for s.Len() > 0 {
		h, _ := s.Peek()
		got += h.name
		s.Remove(h)
	}
	if got != "dac" {
		t.Fatalf("order %q, want dac", got)
	}
	if _, ok := s.Peek(); ok {
		t.Fatal("Peek on an empty schedule")
	}
}
