package extract

import (
	"bytes"
	"io"
)

// textSkipper is the tokenizer's reader. It hands the body over in pieces
// so that it can leave out text the tokenizer would only walk through byte
// by byte: text in the data state (between tags, outside script, style,
// title and the like) holds no link, no base and no robots directive, and
// skipping to its next '<' with bytes.IndexByte is many times faster.
//
// Skipping is safe only at a token boundary, where the tokenizer has used
// every byte it was given: the parser counts the raw bytes of the tokens
// it has seen (consumed) and sets skip when the token just seen leaves the
// tokenizer in the data state. At such a boundary, Read gives the bytes up
// to the next '>' only, so that a tag comes back as a token with nothing
// read past it; inside a token (a long text, a script) it gives as much
// as asked, so the tokenizer never re-copies a growing token piece by
// piece.
type textSkipper struct {
	b        []byte
	off      int  // bytes given to the tokenizer, or skipped
	consumed int  // bytes of the tokens the parser has seen, and skipped
	skip     bool // the last token left the tokenizer in the data state
}

func (r *textSkipper) Read(p []byte) (int, error) {
	atBoundary := r.off == r.consumed
	if atBoundary && r.skip {
		n := bytes.IndexByte(r.b[r.off:], '<')
		if n < 0 {
			n = len(r.b) - r.off
		}
		r.off += n
		r.consumed += n
	}
	r.skip = false
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	end := len(r.b)
	if atBoundary {
		if i := bytes.IndexByte(r.b[r.off:], '>'); i >= 0 {
			end = r.off + i + 1
		}
	}
	n := copy(p, r.b[r.off:end])
	r.off += n
	return n, nil
}

// token records that the parser saw a token of raw length n; dataState
// says whether the tokenizer is now in the data state.
func (r *textSkipper) token(n int, dataState bool) {
	r.consumed += n
	r.skip = dataState
}
