package dashboard

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// What a load changed: its own page beside the run's (/admin/loads/:id/changes), because
// finding a run's revisions reads every key the run wrote with its history, which a run
// page of rejects must not wait for.

type changesView struct {
	page
	Run     warehouse.Run
	Changes warehouse.RunChanges
	Rows    []changeRow
	// Totals say the totals as sentences: 本次载入修订 2023 年数值 12 个.
	Totals  []string
	NextURL string
}

func (s *Server) changesPage(c echo.Context) error {
	st := s.store
	ctx := c.Request().Context()
	run, err := findRun(ctx, st, c.Param("id"))
	if err != nil {
		return err
	}
	v := changesView{page: newPage(c, "admin", "changes"), Run: run}
	// A load that did not commit changed nothing: its rows were never visible.
	if run.Status == warehouse.RunCommitted {
		v.Changes, err = st.Changes(ctx, warehouse.ChangesQuery{RunID: run.ID, Job: run.Job, After: c.QueryParam("after"), Limit: changesPageSize})
		if err != nil {
			return pageError(err)
		}
		names, err := s.dimensionNamesFor(c, run.Job)
		if err != nil {
			return pageError(err)
		}
		for _, ch := range v.Changes.Changes {
			v.Rows = append(v.Rows, names.row(ch, v.Lang))
		}
		for _, tot := range v.Changes.Totals {
			v.Totals = append(v.Totals, fmt.Sprintf(t(v.Lang, "changes_"+tot.Kind), tot.Year, tot.Count))
		}
		if v.Changes.Next != "" {
			v.NextURL = withParam(c, "after", v.Changes.Next)
		}
	}
	return c.Render(http.StatusOK, "admin_changes.html", v)
}
