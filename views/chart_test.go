package views

import "testing"

func TestNewBarChart(t *testing.T) {
	labels := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}
	titles := make([]string, len(labels))
	revenue := []int64{0, 100, 200, 400, 0, 0, 0, 0, 0, 0, 50}
	margin := []int64{0, 50, -100, 100, 0, 0, 0, 0, 0, 0, 10}
	c := NewBarChart(labels, titles, revenue, margin)
	if len(c.Bars) != 11 || c.Max != 400 || c.Min != -100 {
		t.Fatalf("chart = %d bars, max %d, min %d", len(c.Bars), c.Max, c.Min)
	}
	if c.Top != chartTop || c.Bottom != chartH-chartBottom || c.Zero <= c.Top || c.Zero >= c.Bottom {
		t.Errorf("top %d, zero %d, bottom %d", c.Top, c.Zero, c.Bottom)
	}
	// The largest revenue reaches the top; bar heights are to scale.
	if b := c.Bars[3]; b.Y != c.Top || b.H != c.Zero-c.Top {
		t.Errorf("largest bar y %d h %d", b.Y, b.H)
	}
	if h1, h2 := c.Bars[1].H, c.Bars[2].H; h2 < 2*h1-1 || h2 > 2*h1+1 {
		t.Errorf("200 is %d high, 100 is %d", h2, h1)
	}
	if b := c.Bars[2]; !b.NegativeMargin || b.MY != c.Zero || b.MY+b.MH != c.Bottom {
		t.Errorf("negative margin bar %+v", b)
	}
	if b := c.Bars[0]; b.H != 0 || b.MH != 0 {
		t.Errorf("empty period drawn %+v", b)
	}
	for i, b := range c.Bars {
		if b.X < 0 || b.X+b.W > chartW || (i > 0 && b.X <= c.Bars[i-1].X) {
			t.Errorf("bar %d at %d+%d", i, b.X, b.W)
		}
	}
	if n := len(c.XLabels); n < 2 || n > maxXLabels {
		t.Errorf("%d x labels", n)
	}
	for _, l := range c.XLabels {
		if l.X < labelInset || l.X > chartW-labelInset {
			t.Errorf("label %q at %d leaves the canvas", l.Text, l.X)
		}
	}
	if e := NewBarChart(nil, nil, nil, nil); len(e.Bars) != 0 {
		t.Error("empty chart has bars")
	}
	if e := NewBarChart([]string{"a"}, []string{"t"}, []int64{1, 2}, []int64{1}); len(e.Bars) != 0 {
		t.Error("mismatched inputs drew bars")
	}
}
