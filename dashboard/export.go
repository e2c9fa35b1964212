package dashboard

import (
	"fmt"
	"net/http"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"jinwei/warehouse"
)

// exporters write a result as a download, streaming it to the client as they go.
var exporters = map[string]func(echo.Context, *warehouse.Result) error{
	"csv":     writeCSV,
	"xlsx":    writeXLSX,
	"parquet": writeParquet,
}

func attachment(c echo.Context, contentType, ext string) {
	c.Response().Header().Set(echo.HeaderContentType, contentType)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="jinwei.%s"`, ext))
	c.Response().WriteHeader(http.StatusOK)
}

// writeXLSX writes the rows with excelize's stream writer, numbers as numbers.
func writeXLSX(c echo.Context, res *warehouse.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := make([]any, len(res.Columns))
	for i, col := range res.Columns {
		header[i] = col.Name
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, row := range res.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if f, ok := toFloat(v); ok {
				cells[i] = f
			} else {
				cells[i] = cellString(v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
	return f.Write(c.Response())
}

// writeParquet writes the rows as one Parquet file, typed as in the Arrow answer.
func writeParquet(c echo.Context, res *warehouse.Result) error {
	rec := resultRecord(res)
	defer rec.Release()
	attachment(c, "application/vnd.apache.parquet", "parquet")
	w, err := pqarrow.NewFileWriter(rec.Schema(), c.Response(), parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := w.Write(rec); err != nil {
		return err
	}
	return w.Close()
}
