// Package extract reads what a crawler needs from an HTML page: its
// outlinks, its title, its robots directives and its character encoding.
//
// # Basics
//
// [HTML] takes the body as received, the Content-Type header and the
// document URL, and returns a [Result]. It does no I/O, keeps no state and
// is safe for concurrent use. [IsHTML] tells whether a Content-Type is worth
// extracting from.
//
// The page is decoded to UTF-8 first (see Charset below) and then streamed
// through the golang.org/x/net/html tokenizer; no DOM is built. UTF-8 pages
// and pure-ASCII pages are not copied.
//
// # Links
//
// Links come from a[href], area[href], iframe[src], frame[src],
// link[href] whose rel holds alternate (but not "alternate stylesheet"),
// next or prev, and the URL of <meta http-equiv="refresh">, parsed as
// browsers do ("5; url='x'", "0;URL=x", "0; x"). Each value is resolved with
// [urlnorm.Resolve], which trims surrounding whitespace, drops the fragment
// and rejects everything that is not http(s) (mailto:, javascript:, tel:,
// data:, ftp:) or is longer than [urlnorm.MaxLen].
//
// Links are listed in document order, each URL once at its first
// occurrence. [Link.NoFollow] is set when every a/area occurrence of the URL
// had rel="nofollow": one followable occurrence makes it followable. The
// page-level <meta name="robots" content="nofollow"> (or "none") sets
// [Result.NoFollow] and leaves the links as they are; the caller decides.
// A link to the page itself (href="#top") is kept, since it resolves to
// the document URL without its fragment.
//
// The document base URL is the href of the first <base> element that has
// one, resolved against the document URL, as in the HTML standard; it
// applies to every link in the page, those before the <base> too, since
// browsers resolve hrefs against the document's base when they are used. A
// base href that does not resolve to an http(s) URL is ignored.
//
// The content of <noscript> and <noframes> is tokenized as markup, since a
// crawler is the client without scripts these are written for.
//
// # Title
//
// The text of the first <title> that is not inside an <svg>, with entities
// decoded, ASCII whitespace collapsed to single spaces and trimmed, invalid
// UTF-8 replaced, and cut to [MaxTitle] bytes.
//
// # Charset
//
// The encoding is sniffed as the HTML standard says: byte order mark,
// then the charset parameter of the Content-Type header, then the standard's
// byte prescan of the first 1024 bytes for <meta charset> or <meta
// http-equiv="content-type">. When none of these says anything, a browser
// starts with windows-1252 and re-decodes if its parser meets a <meta
// charset> later; here a body that is valid UTF-8 (and not pure ASCII) is
// UTF-8, else the prescan is run over the whole body for that late <meta>,
// else windows-1252. [Result.Charset] is the WHATWG name of the encoding
// ("utf-8", "windows-1252", "shift_jis", ...). This reproduces 82 of the 83
// html5lib encoding tests; the one left builds its <meta> in a script.
//
// # Caveats
//
// Links in legacy-encoded pages get a UTF-8 query, where browsers would
// encode the query in the page's encoding. Links in comments, scripts,
// styles and <textarea> are not seen; links in <template> content are
// listed, since the tokenizer does not know that it is inert. There is no
// limit on the number of links.
//
// The tokenizer of golang.org/x/net v0.62.0 copies in TagName and TagAttr
// on every call; tag names and the attributes of link elements are read
// from the token's raw text instead (tag.go, checked against the
// tokenizer by a differential fuzz test), which halves the allocations.
package extract
