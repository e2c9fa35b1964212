package dashboard

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"
)

// Sample files of each kind, made here so the test holds no binaries.
func samplePNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleJPEG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleZIP(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("<w:document/>"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// label is the label function t, which a test's t hides.
var label = t

const samplePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// Each file is taken for the type its bytes are, and refused, with the reason a person is
// shown, when it is none of them, dresses as another, is a ZIP in a PDF's clothes, or is
// too large.
func TestCheckAttachment(t *testing.T) {
	pngBytes, jpegBytes, zipBytes := samplePNG(t), sampleJPEG(t), sampleZIP(t)
	cases := []struct {
		name string
		data []byte
		// want is the checked content type, or the refusal's label key.
		want string
	}{
		{"验收报告.pdf", []byte(samplePDF), "application/pdf"},
		{"现场照片.JPG", jpegBytes, "image/jpeg"},
		{"photo.jpeg", jpegBytes, "image/jpeg"},
		{"site.png", pngBytes, "image/png"},
		{"report.pdf", zipBytes, "attach_zip"},
		{"report.docx", zipBytes, "attach_zip"},
		{"polyglot.pdf", append([]byte(samplePDF), zipBytes...), "attach_zip"},
		// A photo that is also an archive (bytes appended after the image) is a ZIP too.
		{"polyglot.jpg", append(slices.Clone(jpegBytes), zipBytes...), "attach_zip"},
		{"polyglot.png", append(slices.Clone(pngBytes), zipBytes...), "attach_zip"},
		{"photo.pdf", pngBytes, "attach_name_mismatch"},
		{"report.png", []byte(samplePDF), "attach_name_mismatch"},
		{"script.pdf", []byte("<script>alert(1)</script>"), "attach_bad_type"},
		{"page.html", []byte("<!doctype html><script>alert(1)</script>"), "attach_bad_type"},
		{"broken.png", []byte("\x89PNG\r\n\x1a\nnot a png at all"), "attach_bad_type"},
		{"empty.pdf", nil, "attach_empty"},
		{"huge.pdf", append([]byte(samplePDF), make([]byte, MaxAttachmentBytes)...), "attach_too_large"},
	}
	for _, tc := range cases {
		a, err := checkAttachment(tc.name, bytes.NewReader(tc.data))
		var ae *attachmentError
		switch {
		case strings.Contains(tc.want, "/"):
			if err != nil || a.ContentType != tc.want || !bytes.Equal(a.Data, tc.data) || a.Size != len(tc.data) || len(a.SHA256) != 64 {
				t.Errorf("%s: %s %v, want taken as %s", tc.name, a.ContentType, err, tc.want)
			}
		case !errors.As(err, &ae) || "attach_"+ae.why != tc.want:
			t.Errorf("%s: %v, want refused with %s", tc.name, err, tc.want)
		case label(langZh, "attach_"+ae.why) == "attach_"+ae.why || label(langEn, "attach_"+ae.why) == "attach_"+ae.why:
			t.Errorf("%s: refusal %s has no label in both languages", tc.name, ae.why)
		}
	}
}

// A file's name only names the download: no path, quotes or control characters survive.
func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\a\照片.jpg`:               "照片.jpg",
		"../../etc/passwd.pdf":            "passwd.pdf",
		"a\"b\r\nContent-Type: x.pdf":     "abContent-Type: x.pdf",
		"\u202egpj.exe.pdf":               "gpj.exe.pdf",
		"":                                "attachment",
		strings.Repeat("长", 200) + ".pdf": strings.Repeat("长", maxFileName-4) + ".pdf",
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
