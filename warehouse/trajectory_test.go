package warehouse

import (
	"math"
	"testing"
)

func fp(v float64) *float64 { return &v }

func TestCatchUp(t *testing.T) {
	// Home grows 10 % a year, the nation 5 %: ratio 0.5 closes in ln 2 / ln(1.1/1.05) years.
	home := []*float64{fp(100), fp(110), fp(121), fp(133.1)}
	nation := []*float64{fp(200), fp(210), fp(220.5), fp(231.525)}
	c := catchUp(home, nation)
	want := math.Log(231.525/133.1) / math.Log(1.1/1.05)
	if c == nil || !c.Converging || math.Abs(c.Years-want) > 1e-9 || math.Abs(c.HomeGrowth-10) > 1e-9 {
		t.Fatalf("catch-up %+v; want converging in %.2f years", c, want)
	}
	slow := catchUp([]*float64{fp(100), fp(101), fp(102), fp(103)}, nation)
	if slow == nil || slow.Converging || slow.Above {
		t.Errorf("slower home growth: %+v; want not converging", slow)
	}
	above := catchUp(nation, home)
	if above == nil || !above.Above {
		t.Errorf("home above nation: %+v", above)
	}
	if catchUp(home[:3], nation[:3]) != nil {
		t.Errorf("three years of data are not enough for a three-year growth")
	}
}

func TestGrowthSeries(t *testing.T) {
	g := growthSeries([]*float64{fp(100), nil, fp(110), fp(121)}, "亿元")
	if g[0] != nil || g[1] != nil || g[2] != nil || math.Abs(*g[3]-10) > 1e-9 {
		t.Errorf("growth %v", g)
	}
	if r := growthSeries([]*float64{fp(102.5)}, "上年=100"); math.Abs(*r[0]-2.5) > 1e-9 {
		t.Errorf("index growth %v", *r[0])
	}
}
