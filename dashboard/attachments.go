package dashboard

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig checks JPEG headers
	_ "image/png"  // and PNG ones
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// Attachments of ledger items' progress steps: evidence such as acceptance reports (PDF) and
// site photos (JPEG, PNG). Each is checked by its bytes, never by what the browser says, and
// stored in the warehouse; a download says the checked type and is never shown inline.
const (
	// MaxAttachmentBytes caps one file: a scanned report or a phone photo fits.
	MaxAttachmentBytes = 5 << 20
	// maxAttachments caps the files of one step.
	maxAttachments = 5
	// maxFileName caps the length of a stored file name, in characters.
	maxFileName = 120
)

// attachmentKinds are the types taken: their content type, the extensions a name may have,
// and the bytes the content starts with.
var attachmentKinds = []struct {
	contentType string
	exts        []string
	magic       []byte
}{
	{"application/pdf", []string{".pdf"}, []byte("%PDF-")},
	{"image/jpeg", []string{".jpg", ".jpeg"}, []byte{0xff, 0xd8, 0xff}},
	{"image/png", []string{".png"}, []byte("\x89PNG\r\n\x1a\n")},
}

// zipLocal and zipEnd are a ZIP archive's first bytes and the signature of its end record,
// which lets a ZIP hide behind a PDF's header (a polyglot: the same bytes open as both).
var (
	zipLocal = []byte("PK\x03\x04")
	zipEnd   = []byte("PK\x05\x06")
)

// attachmentRefusals are why a file is refused; the label attach_WHY says it to the sender.
var attachmentRefusals = []string{"too_large", "empty", "zip", "name_mismatch", "bad_type"}

// attachmentError is what is wrong with one file, said to the person who sent it.
type attachmentError struct{ why, detail string }

func (e *attachmentError) Error() string { return e.why + ": " + e.detail }

// checkAttachment reads one sent file (at most MaxAttachmentBytes of it) and says whether it
// is a PDF, JPEG or PNG whose name agrees with its content.
func checkAttachment(name string, r io.Reader) (warehouse.Attachment, error) {
	var a warehouse.Attachment
	data, err := io.ReadAll(io.LimitReader(r, MaxAttachmentBytes+1))
	if err != nil {
		return a, fmt.Errorf("read attachment %q: %w", name, err)
	}
	a.FileName = cleanFileName(name)
	switch {
	case len(data) > MaxAttachmentBytes:
		return a, &attachmentError{"too_large", fmt.Sprintf("%s > %d MiB", a.FileName, MaxAttachmentBytes>>20)}
	case len(data) == 0:
		return a, &attachmentError{"empty", a.FileName}
	case bytes.HasPrefix(data, zipLocal):
		return a, &attachmentError{"zip", a.FileName}
	}
	ext := strings.ToLower(filepath.Ext(a.FileName))
	for _, k := range attachmentKinds {
		if !bytes.HasPrefix(data, k.magic) {
			continue
		}
		if !slices.Contains(k.exts, ext) {
			return a, &attachmentError{"name_mismatch", fmt.Sprintf("%s: %s", a.FileName, k.contentType)}
		}
		switch {
		case k.contentType == "application/pdf" && bytes.Contains(data, zipEnd):
			return a, &attachmentError{"zip", a.FileName}
		case k.contentType != "application/pdf" && opensAsZIP(data):
			// A photo with an archive appended shows as the photo and unzips as the archive.
			return a, &attachmentError{"zip", a.FileName}
		case k.contentType != "application/pdf":
			if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
				return a, &attachmentError{"bad_type", a.FileName}
			}
		}
		sum := sha256.Sum256(data)
		a.ContentType, a.Data, a.Size, a.SHA256 = k.contentType, data, len(data), hex.EncodeToString(sum[:])
		return a, nil
	}
	return a, &attachmentError{"bad_type", a.FileName}
}

// opensAsZIP says whether an unzip tool would open data: a ZIP's end record and central
// directory at its end. Only a valid directory counts, so that compressed image data that
// happens to hold the end record's four bytes is not mistaken for an archive.
func opensAsZIP(data []byte) bool {
	_, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	return err == nil
}

// cleanFileName keeps the base of a sent file's name, without control or format characters
// and at most maxFileName characters: it only ever names the download.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if n := []rune(name); len(n) > maxFileName {
		name = string(n[len(n)-maxFileName:])
	}
	if name == "" || name == "." || name == "/" {
		name = "attachment"
	}
	return name
}

// sendAttachment answers with the file as a download of its checked type, which the
// browser may not second-guess (nosniff) nor show in the page's origin.
func sendAttachment(c echo.Context, a warehouse.Attachment) error {
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.FileName}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, a.ContentType, a.Data)
}

// errNoAttachmentType is a stored attachment of a type the server does not serve (written by
// something other than checkAttachment).
var errNoAttachmentType = errors.New("the attachment's stored type is not one the server serves")

// servable says whether a stored attachment's type is one checkAttachment gives.
func servable(a warehouse.Attachment) error {
	for _, k := range attachmentKinds {
		if k.contentType == a.ContentType {
			return nil
		}
	}
	return errNoAttachmentType
}
