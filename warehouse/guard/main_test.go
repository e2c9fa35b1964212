package guard_test

import (
	"os"
	"testing"

	"jinwei/warehouse/whtest"
)

func TestMain(m *testing.M) { os.Exit(whtest.Run(m)) }
