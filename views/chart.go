package views

import "strconv"

// Chart is a bar chart drawn as inline SVG on the server: no script, so
// it works under the admin's script-free CSP and on any phone. Geometry
// is in viewBox units; the SVG scales to its container's width.
type Chart struct {
	Width, Height int
	Bars          []ChartBar
	// Zero is the y of the baseline; Top and Bottom those of the largest
	// and smallest values (Max, Min), which the caller labels.
	Zero, Top, Bottom int
	Max, Min          int64
	MaxLabel          string
	MinLabel          string // "" when nothing is below zero
	XLabels           []ChartLabel
	Summary           string // the chart in one sentence, for screen readers
}

// ChartBar is one period: a revenue bar and, in front of it, a narrower
// margin bar (below the baseline when the margin is negative).
type ChartBar struct {
	X, W, Y, H     int // revenue bar
	MX, MW, MY, MH int // margin bar
	NegativeMargin bool
	Title          string // hover text: period and figures
}

// ChartLabel is a period label under the x axis.
type ChartLabel struct {
	X    int
	Text string
}

// Chart layout, in viewBox units: a phone-sized canvas whose text stays
// readable when the SVG is scaled down to 360 px.
const (
	chartW      = 640
	chartH      = 320
	chartLeft   = 8
	chartRight  = 8
	chartTop    = 34
	chartBottom = 40
	maxXLabels  = 5
	// labelInset keeps a centred x label inside the canvas.
	labelInset = 44
)

// NewBarChart lays out one bar per period. labels, revenue and margin
// have one entry per period, in order; titles are their hover texts.
func NewBarChart(labels, titles []string, revenue, margin []int64) Chart {
	c := Chart{Width: chartW, Height: chartH}
	n := len(labels)
	if n == 0 || len(revenue) != n || len(margin) != n || len(titles) != n {
		return c
	}
	for i := range n {
		c.Max = max(c.Max, revenue[i], margin[i])
		c.Min = min(c.Min, margin[i])
	}
	span := c.Max - c.Min
	if span == 0 {
		span = 1
	}
	plotH := int64(chartH - chartTop - chartBottom)
	// y of a value: the largest at chartTop, the smallest at the bottom.
	y := func(v int64) int { return chartTop + int((c.Max-v)*plotH/span) }
	c.Zero, c.Top, c.Bottom = y(0), y(c.Max), y(c.Min)
	slot := float64(chartW-chartLeft-chartRight) / float64(n)
	w := max(int(slot*0.8), 1)
	for i := range n {
		x := chartLeft + int(slot*float64(i)+(slot-float64(w))/2)
		b := ChartBar{X: x, W: w, Title: titles[i]}
		b.Y = y(revenue[i])
		b.H = max(c.Zero-b.Y, 0)
		b.MW = max(w/2, 1)
		b.MX = x + (w-b.MW)/2
		if margin[i] >= 0 {
			b.MY = y(margin[i])
			b.MH = c.Zero - b.MY
		} else {
			b.NegativeMargin = true
			b.MY = c.Zero
			b.MH = y(margin[i]) - c.Zero
		}
		c.Bars = append(c.Bars, b)
	}
	step := max((n+maxXLabels-1)/maxXLabels, 1)
	for i := 0; i < n; i += step {
		x := min(max(chartLeft+int(slot*float64(i)+slot/2), labelInset), chartW-labelInset)
		c.XLabels = append(c.XLabels, ChartLabel{X: x, Text: labels[i]})
	}
	return c
}

// chartNum renders geometry as SVG attribute text.
func chartNum(n int) string { return strconv.Itoa(n) }

// chartViewBox is the SVG viewBox of c.
func chartViewBox(c Chart) string { return "0 0 " + chartNum(c.Width) + " " + chartNum(c.Height) }
