// A line chart of the last ten minutes, one point a second, drawn into an SVG the page already
// holds (grid lines, an area and a line; viewBox 600 x 100, stretched to its box): no library.
// The newest point sits at the right edge; the line keeps its width (vector-effect, in the CSS).

const width = 600;
const height = 100;

// A round top for the scale: 1, 2, 5, 10, 20, 50, ... at least the largest value.
function scaleFor(largest) {
  let top = 1;
  while (top < largest) {
    top *= String(top).startsWith("2") ? 2.5 : 2;
  }

  return top;
}

/** Draws values (oldest first, at most 600) into svg and returns the top of its scale. */
export function draw(svg, values) {
  const top = scaleFor(Math.max(0, ...values));
  const start = width - values.length;
  const points = values.map((value, index) =>
    `${start + index},${(height - 1 - (value / top) * (height - 2)).toFixed(1)}`);
  svg.querySelector(".line").setAttribute("points", points.join(" "));
  svg.querySelector(".area").setAttribute("d", points.length === 0
    ? ""
    : `M${start},${height} L${points.join(" L")} L${width - 1},${height} Z`);
  return top;
}
