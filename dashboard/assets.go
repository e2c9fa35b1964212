package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

// static holds the pages' CSS and JS, and under vendor/ the chart library and map files that
// `make assets` copies from node_modules: every asset is served from here, never a CDN.
//
//go:embed static
var staticFS embed.FS

// vendorFiles must be present for the pages to draw charts.
var vendorFiles = []string{"static/vendor/echarts.min.js", "static/vendor/maps/china.js", "static/vendor/maps/province/gansu.js",
	"static/vendor/codemirror/codemirror.js", "static/vendor/codemirror/sql.js", "static/vendor/codemirror/codemirror.css"}

func checkVendorAssets() error {
	for _, f := range vendorFiles {
		if _, err := fs.Stat(staticFS, f); err != nil {
			return fmt.Errorf("dashboard asset %s was not built into this binary: run `make assets` (it copies them from node_modules) and rebuild", f)
		}
	}
	return nil
}

func parseTemplates() (*template.Template, error) {
	// A label the map lacks stops the page with an error rather than showing nothing; labels
	// are completed from the templates' keys at start (see labels), so only a key written
	// in a form templateLabelRE does not find can reach this.
	tmpl, err := template.New("").Option("missingkey=error").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return tmpl, nil
}

// staticRoute is the route of the embedded assets.
const staticRoute = "/static/*"

// staticHandler serves the embedded assets. Their URLs change only with a new binary, so
// browsers may keep them for a day without asking again, and after that a tag of their
// content (embedded files have no time to compare) lets a browser keep its copy with a
// short answer instead of fetching the megabyte of the chart library again.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A name that is no file name (invalid UTF-8, "..") names no asset: the file
		// server took it for a failure of its own, 500.
		if name := strings.TrimPrefix(r.URL.Path, "/static/"); strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		if tag, ok := staticTags()[strings.TrimPrefix(r.URL.Path, "/static/")]; ok {
			w.Header().Set("ETag", tag)
		}
		files.ServeHTTP(w, r)
	})
}

// staticTags is each embedded asset's entity tag, by its path under static/: a hash of its
// content, computed once per process.
var staticTags = sync.OnceValue(func() map[string]string {
	tags := map[string]string{}
	sub, _ := fs.Sub(staticFS, "static")
	_ = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tags[path] = `"` + hex.EncodeToString(sum[:12]) + `"`
		return nil
	})
	return tags
})
