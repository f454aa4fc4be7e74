/*
 * cmd_goal_plot.c — `kontroll goal plot ID --out FILE`: one indicator of a
 * goal drawn as an SVG 1.1 image — its measurements over time, its baseline
 * and its yearly targets — for a report or a web page.
 *
 * It folds the goals model for the moment asked (--as-of, --known-at), so
 * the indicator is drawn as it was defined then, with the measurements
 * known then. The image is plain text written with stdio, every text from
 * the store escaped for XML, and its bytes depend on the store and the
 * options alone: the same store gives the same file. A file is written
 * under a temporary name beside its destination and renamed into place, so
 * no reader sees half an image and a failed run leaves nothing behind.
 * Nothing here appends an event.
 */
#define _POSIX_C_SOURCE 200809L
#include "goal_cli.h"
#include "render.h"

#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char plot_usage[] =
    "usage: kontroll goal plot ID [--indicator I1] --out FILE [--width PX] [--height PX]\n"
    "                             [--as-of DATE] [--known-at TIME] [--no-snapshots]\n"
    "                             [--db PATH]\n"
    "\n"
    "Draw one indicator of a goal as an SVG image: its measurements over time, its\n"
    "baseline as a dashed line and each year's target as a marker at 31 December,\n"
    "with which direction is better. ID is the goal's number (M-2025-012, any\n"
    "case), its stream (goal-M-2025-012), year and number (2025-12) or 4+ hex\n"
    "digits of its id; ID/I1 names the indicator too. Prints the file written.\n"
    "\n"
    "  --indicator I1   the indicator (needed when the goal has several)\n"
    "  --out FILE       the file to write (required), replaced whole or not at all;\n"
    "                   - writes the image to stdout (./- for a file named -)\n"
    "  --width PX       the image's width, 320-10000 (default 800)\n"
    "  --height PX      its height, 240-10000 (default 450)\n"
    "  --as-of DATE     as things stood on DATE (a date alone: its end, UTC)\n"
    "  --known-at TIME  as kontroll showed it at TIME: only events recorded by then\n"
    "  --no-snapshots   replay the whole log, trusting no snapshot\n"
    "  --db PATH        the store file\n";

/* Image sizes taken, in pixels. */
#define WIDTH_MIN      320
#define HEIGHT_MIN     240
#define SIZE_MAX_PX    10000
#define WIDTH_DEFAULT  800
#define HEIGHT_DEFAULT 450

/* Room around the plot area: the title lines above, the value labels to
 * the left, the year labels and the legend below. */
#define MARGIN_LEFT   64
#define MARGIN_RIGHT  24
#define MARGIN_TOP    60
#define MARGIN_BOTTOM 64

/* Most characters of a title line at the widest image (about six pixels a
 * character). */
#define LINE_CHARS_MAX (SIZE_MAX_PX / 6)

/* Values beyond this are refused: the tick arithmetic stays finite, and
 * cli_number_text's 15 digits still tell the ticks apart. */
#define VALUE_MAX 1e15

/* Year labels are at least this far apart, in pixels. */
#define YEAR_LABEL_PX 40

#define COLOUR_SERIES	"#1f77b4"
#define COLOUR_TARGET	"#d62728"
#define COLOUR_BASELINE "#666666"
#define COLOUR_AXIS	"#333333"
#define COLOUR_GRID	"#e6e6e6"

/* ---- what is drawn ------------------------------------------------------ */

/* The value axis: ticks at k·step for k from first to last, step being
 * mantissa·10^exp. */
struct value_axis {
	double mantissa;
	int exp;
	long first, last;
};

struct plot {
	const struct kt_goal *goal;
	struct kt_goal_definition def;
	struct kt_goal_indicator ind;
	struct kt_goal_measurement *series; /* by date, owned; NULL when none */
	size_t n;
	int width, height;
	double left, right, top, bottom; /* the plot area, px */
	int64_t t0, t1;			 /* the time it spans, µs */
	struct value_axis axis;
	double v0, v1; /* the values it spans: the lowest and the highest tick */
};

/* ---- time --------------------------------------------------------------- */

static int64_t day_of(int year, int month, int day)
{
	return kt_time_days_from_civil(year, month, day) * KT_US_PER_DAY;
}

static int year_of(int64_t us)
{
	char date[KT_TIME_TEXT_MAX];
	kt_time_format_date(us, date);
	return atoi(date);
}

/* Where a year's target stands on the time axis. */
static int64_t target_day(int year)
{
	return day_of(year, 12, 31);
}

static void take_time(int64_t t, int64_t *lo, int64_t *hi)
{
	if (t < *lo)
		*lo = t;
	if (t > *hi)
		*hi = t;
}

/*
 * The time the plot spans: from the earliest of the baseline's date, the
 * first measurement and 1 January of the first target year to the latest
 * of those, the last measurement and 31 December of the last target year,
 * with a thirtieth more on either side so that no mark sits on an axis.
 */
static void time_span(struct plot *p)
{
	const struct kt_goal_indicator *ind = &p->ind;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	if (ind->has_baseline && ind->baseline_date != KT_TIME_UNSET)
		take_time(ind->baseline_date, &lo, &hi);
	if (p->n) {
		take_time(p->series[0].date, &lo, &hi);
		take_time(p->series[p->n - 1].date, &lo, &hi);
	}
	if (ind->n_targets) {
		take_time(day_of(ind->targets[0].year, 1, 1), &lo, &hi);
		take_time(target_day(ind->targets[ind->n_targets - 1].year), &lo, &hi);
	}
	/* An undated baseline alone is drawn across the goal's period. */
	if (lo > hi) {
		lo = day_of(p->def.period_from, 1, 1);
		hi = target_day(p->def.period_to);
	}
	/* A single moment is drawn in its year. */
	if (lo >= hi) {
		int year = year_of(lo);
		lo = day_of(year, 1, 1);
		hi = target_day(year);
	}
	int64_t pad = (hi - lo) / 30;
	p->t0 = lo - pad;
	p->t1 = hi + pad;
}

/* ---- values ------------------------------------------------------------- */

static void take_value(double v, double *lo, double *hi)
{
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

static double power_of_ten(int exp)
{
	double p = 1;
	while (exp-- > 0)
		p *= 10;
	return p;
}

/* The value of tick k. Negative powers divide, so that 3 ticks of 0.1 come
 * out as the double nearest 0.3 and the label reads "0,3". */
static double tick_value(const struct value_axis *a, long k)
{
	double v = (double)k * a->mantissa;
	return a->exp < 0 ? v / power_of_ten(-a->exp) : v * power_of_ten(a->exp);
}

/*
 * The value axis: ticks 1, 2, 2.5 or 5 times a power of ten apart, the
 * closest that need at most six to cover every value with a twentieth of
 * their range to spare. The search starts from a step that needs seven or
 * more, and each step is at most twice the one before, so the first that
 * fits needs at least four.
 */
static void value_span(struct plot *p)
{
	static const double mantissas[] = { 1, 2, 2.5, 5 };
	const struct kt_goal_indicator *ind = &p->ind;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t k = 0; k < p->n; k++)
		take_value(p->series[k].value, &lo, &hi);
	if (ind->has_baseline)
		take_value(ind->baseline, &lo, &hi);
	for (uint32_t k = 0; k < ind->n_targets; k++)
		take_value(ind->targets[k].value, &lo, &hi);
	double span = hi - lo;
	/* A flat line (values a billionth apart are no indicator's precision)
	 * gets room around it: a fifth of its value, or 1 about zero. */
	if (span < 1e-9) {
		span = fabs(lo) > 5e-9 ? fabs(lo) / 5 : 1;
		lo -= span / 2;
		hi += span / 2;
	}
	lo -= span / 20;
	hi += span / 20;
	struct value_axis *a = &p->axis;
	a->exp = (int)floor(log10((hi - lo) / 6));
	for (size_t k = 0;; k = (k + 1) % 4) {
		a->mantissa = mantissas[k];
		double step = tick_value(a, 1);
		a->first = (long)floor(lo / step);
		a->last = (long)ceil(hi / step);
		if (a->last - a->first <= 5)
			break;
		if (k == 3)
			a->exp++;
	}
	p->v0 = tick_value(a, a->first);
	p->v1 = tick_value(a, a->last);
}

/* Every value lies within ±VALUE_MAX. Prints which does not. */
static int check_values(const struct plot *p)
{
	const struct kt_goal_indicator *ind = &p->ind;
	int ok = !ind->has_baseline || fabs(ind->baseline) <= VALUE_MAX;
	double bad = ind->baseline;
	for (size_t k = 0; ok && k < p->n; k++) {
		bad = p->series[k].value;
		ok = fabs(bad) <= VALUE_MAX;
	}
	for (uint32_t k = 0; ok && k < ind->n_targets; k++) {
		bad = ind->targets[k].value;
		ok = fabs(bad) <= VALUE_MAX;
	}
	if (ok)
		return EXIT_OK;
	char text[32];
	cli_number_text(bad, text);
	cli_error("%s/%s holds %s, too large to draw (at most 10^15 either way)", p->goal->number,
		  ind->label, text);
	return EXIT_INPUT;
}

/* The plot area of an image of width × height, and what its axes span. */
static void lay_out(struct plot *p, int width, int height)
{
	p->width = width;
	p->height = height;
	p->left = MARGIN_LEFT;
	p->right = width - MARGIN_RIGHT;
	p->top = MARGIN_TOP;
	p->bottom = height - MARGIN_BOTTOM;
	time_span(p);
	value_span(p);
}

static double x_at(const struct plot *p, int64_t t)
{
	return p->left + (p->right - p->left) * (double)(t - p->t0) / (double)(p->t1 - p->t0);
}

static double y_at(const struct plot *p, double v)
{
	return p->bottom - (p->bottom - p->top) * (v - p->v0) / (p->v1 - p->v0);
}

/* ---- SVG ---------------------------------------------------------------- */

/*
 * The n bytes of text at s as XML character data, fit for an attribute
 * value too: the five special characters as entities, control characters
 * as spaces, and the two characters XML refuses although they are UTF-8
 * (U+FFFE, U+FFFF) as U+FFFD. Texts of the model passed the catalogue's
 * schema, so they are valid UTF-8.
 */
static void xml_text(FILE *f, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (c == 0xef && k + 2 < n && (unsigned char)s[k + 1] == 0xbf &&
			 ((unsigned char)s[k + 2] & 0xfe) == 0xbe) {
			fputs("\xef\xbf\xbd", f);
			k += 2;
		} else {
			fputc(c < 0x20 ? ' ' : c, f);
		}
	}
}

static void xml_str(FILE *f, const char *s)
{
	xml_text(f, s, strlen(s));
}

/* A text of the model, cut to max characters (≤ LINE_CHARS_MAX). */
static void xml_clipped(FILE *f, struct kt_text t, size_t max)
{
	char cell[CLI_CELL_BYTES(LINE_CHARS_MAX)];
	if (!t.s)
		return;
	cli_cell_text(t.s, t.len, max < LINE_CHARS_MAX ? max : LINE_CHARS_MAX, cell);
	xml_str(f, cell);
}

/* Characters (code points) of a text of the model. */
static size_t chars_of(struct kt_text t)
{
	size_t n = 0;
	for (size_t k = 0; t.s && k < t.len; k++)
		n += ((unsigned char)t.s[k] & 0xc0) != 0x80;
	return n;
}

/* " %": the unit after a value, when the indicator has one. */
static void put_unit(FILE *f, const struct plot *p)
{
	if (!p->ind.unit.s)
		return;
	fputc(' ', f);
	xml_text(f, p->ind.unit.s, p->ind.unit.len);
}

/* "M-2025-001/I1 Sykefravær (%)", the name cut to fit max characters
 * (0: whole). */
static void put_title_text(FILE *f, const struct plot *p, size_t max)
{
	const struct kt_goal_indicator *ind = &p->ind;
	size_t used = strlen(p->goal->number) + strlen(ind->label) + 2;
	if (ind->unit.s)
		used += chars_of(ind->unit) + 3;
	xml_str(f, p->goal->number);
	fputc('/', f);
	xml_str(f, ind->label);
	if (ind->name.s) {
		fputc(' ', f);
		if (max)
			xml_clipped(f, ind->name, max > used + 8 ? max - used : 8);
		else
			xml_text(f, ind->name.s, ind->name.len);
	}
	if (ind->unit.s) {
		fputs(" (", f);
		xml_text(f, ind->unit.s, ind->unit.len);
		fputc(')', f);
	}
}

/* The document's title and description, a white ground, and the title
 * lines: the indicator, and under it the goal as worded, each cut to the
 * width (a bold 15-pixel character is about 9 pixels wide, a 12-pixel one
 * 6.5). */
static void put_head(FILE *f, const struct plot *p)
{
	size_t room = (size_t)(p->width - 32);
	fputs("<title>", f);
	put_title_text(f, p, 0);
	fputs("</title>\n<desc>", f);
	if (p->def.text.s)
		xml_text(f, p->def.text.s, p->def.text.len);
	fprintf(f,
		"</desc>\n<rect class=\"background\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"#ffffff\"/>\n<text class=\"title\" x=\"16\" y=\"24\" font-size=\"15\" "
		"font-weight=\"bold\">",
		p->width, p->height);
	put_title_text(f, p, room / 9);
	fputs("</text>\n<text class=\"subtitle\" x=\"16\" y=\"42\" font-size=\"12\" "
	      "fill=\"#555555\">",
	      f);
	xml_clipped(f, p->def.text, room * 2 / 13);
	fputs("</text>\n", f);
}

/* How many years apart the year labels are: 1, 2, 5, 10, 20, 50, … the
 * first that leaves YEAR_LABEL_PX between them. */
static int year_step(const struct plot *p)
{
	double px_per_year =
	    (p->right - p->left) * 365.2425 * (double)KT_US_PER_DAY / (double)(p->t1 - p->t0);
	int step = 1;
	for (int k = 0; px_per_year * step < YEAR_LABEL_PX; k++)
		step = k % 3 == 1 ? step / 2 * 5 : step * 2;
	return step;
}

/*
 * The time axis: a tick and a grid line at 1 January of each year shown,
 * and the year's number under the middle of the part of it that the plot
 * spans — unless that is less than half the year and less than half the
 * span, as for the last day of a year the baseline is dated. Every year is
 * shown when there is room, else every year_step-th.
 */
static void put_time_axis(FILE *f, const struct plot *p)
{
	int step = year_step(p), last = year_of(p->t1);
	fprintf(f,
		"<g class=\"axis x-axis\">\n<line class=\"axis-line\" x1=\"%.1f\" y1=\"%.1f\" "
		"x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COLOUR_AXIS "\"/>\n",
		p->left, p->bottom, p->right, p->bottom);
	for (int year = year_of(p->t0); year <= last; year++) {
		if (year % step)
			continue;
		int64_t from = day_of(year, 1, 1), to = day_of(year + 1, 1, 1);
		if (from > p->t0) {
			double x = x_at(p, from);
			fprintf(
			    f,
			    "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"" COLOUR_GRID "\"/>\n<line class=\"tick\" x1=\"%.1f\" "
			    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COLOUR_AXIS "\"/>\n",
			    x, p->top, x, p->bottom, x, p->bottom, x, p->bottom + 5);
		}
		int64_t shown_from = from > p->t0 ? from : p->t0,
			shown_to = to < p->t1 ? to : p->t1;
		int64_t shown = shown_to - shown_from;
		if (shown * 2 < to - from && shown * 2 < p->t1 - p->t0)
			continue;
		fprintf(f,
			"<text class=\"tick-label\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\">%d</text>\n",
			x_at(p, shown_from + shown / 2), p->bottom + 18, year);
	}
	fputs("</g>\n", f);
}

/* The value axis: a tick, a grid line and a label in Norwegian ("10,5")
 * at each tick value. */
static void put_value_axis(FILE *f, const struct plot *p)
{
	fprintf(f,
		"<g class=\"axis y-axis\">\n<line class=\"axis-line\" x1=\"%.1f\" y1=\"%.1f\" "
		"x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COLOUR_AXIS "\"/>\n",
		p->left, p->top, p->left, p->bottom);
	for (long k = p->axis.first; k <= p->axis.last; k++) {
		double v = tick_value(&p->axis, k), y = y_at(p, v);
		char text[32];
		cli_number_text(v, text);
		fprintf(
		    f,
		    "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"" COLOUR_GRID "\"/>\n<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COLOUR_AXIS "\"/>\n<text "
		    "class=\"tick-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		    p->left, y, p->right, y, p->left - 5, y, p->left, y, p->left - 8, y + 4, text);
	}
	fputs("</g>\n", f);
}

/* The baseline: a dashed line across the plot at its value, labelled with
 * the value and its date. */
static void put_baseline(FILE *f, const struct plot *p)
{
	const struct kt_goal_indicator *ind = &p->ind;
	if (!ind->has_baseline)
		return;
	double y = y_at(p, ind->baseline);
	char value[32], people[32], date[KT_TIME_TEXT_MAX];
	cli_number_json_text(ind->baseline, value);
	cli_number_text(ind->baseline, people);
	fprintf(f,
		"<line class=\"baseline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"" COLOUR_BASELINE "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" "
		"data-value=\"%s\"",
		p->left, y, p->right, y, value);
	if (ind->baseline_date != KT_TIME_UNSET) {
		kt_time_format_date(ind->baseline_date, date);
		fprintf(f, " data-date=\"%s\"", date);
	}
	fprintf(f,
		"/>\n<text class=\"baseline-label\" x=\"%.1f\" y=\"%.1f\" "
		"fill=\"" COLOUR_BASELINE "\">baseline %s",
		p->left + 4, y - 4, people);
	put_unit(f, p);
	if (ind->baseline_date != KT_TIME_UNSET) {
		cli_people_date(ind->baseline_date, date);
		fprintf(f, " (%s)", date);
	}
	fputs("</text>\n", f);
}

/* The targets: a diamond at 31 December of each target year, and a dotted
 * line from one to the next, the path the goal sets out. */
static void put_targets(FILE *f, const struct plot *p)
{
	const struct kt_goal_indicator *ind = &p->ind;
	if (!ind->n_targets)
		return;
	fputs("<g class=\"targets\" fill=\"" COLOUR_TARGET "\">\n<polyline class=\"target-path\" "
	      "fill=\"none\" stroke=\"" COLOUR_TARGET "\" stroke-dasharray=\"2 3\" points=\"",
	      f);
	for (uint32_t k = 0; k < ind->n_targets; k++)
		fprintf(f, "%s%.1f,%.1f", k ? " " : "", x_at(p, target_day(ind->targets[k].year)),
			y_at(p, ind->targets[k].value));
	fputs("\"/>\n", f);
	for (uint32_t k = 0; k < ind->n_targets; k++) {
		const struct kt_goal_target *t = &ind->targets[k];
		double x = x_at(p, target_day(t->year)), y = y_at(p, t->value);
		char value[32], people[32];
		cli_number_json_text(t->value, value);
		cli_number_text(t->value, people);
		fprintf(f,
			"<path class=\"target\" data-year=\"%d\" data-value=\"%s\" "
			"d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"><title>target %d: %s",
			t->year, value, x, y - 5, x + 5, y, x, y + 5, x - 5, y, t->year, people);
		put_unit(f, p);
		fputs("</title></path>\n", f);
	}
	fputs("</g>\n", f);
}

/* The measurements: a line through them in date order, and a point at
 * each whose tooltip tells its day, value and note. */
static void put_series(FILE *f, const struct plot *p)
{
	if (!p->n)
		return;
	fputs("<g class=\"measurements\" fill=\"" COLOUR_SERIES "\">\n<polyline class=\"series\" "
	      "fill=\"none\" stroke=\"" COLOUR_SERIES "\" stroke-width=\"2\" points=\"",
	      f);
	for (size_t k = 0; k < p->n; k++)
		fprintf(f, "%s%.1f,%.1f", k ? " " : "", x_at(p, p->series[k].date),
			y_at(p, p->series[k].value));
	fputs("\"/>\n", f);
	for (size_t k = 0; k < p->n; k++) {
		const struct kt_goal_measurement *m = &p->series[k];
		char date[KT_TIME_TEXT_MAX], day[KT_TIME_TEXT_MAX], value[32], people[32];
		kt_time_format_date(m->date, date);
		cli_people_date_as(m->date, kt_date_precision_of(m->fact->data, m->fact->len), day);
		cli_number_json_text(m->value, value);
		cli_number_text(m->value, people);
		fprintf(f,
			"<circle class=\"measurement\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
			"data-date=\"%s\" data-value=\"%s\"><title>%s: %s",
			x_at(p, m->date), y_at(p, m->value), date, value, day, people);
		put_unit(f, p);
		if (m->note.s) {
			fputs(" \xe2\x80\x94 ", f);
			xml_text(f, m->note.s, m->note.len);
		}
		fputs("</title></circle>\n", f);
	}
	fputs("</g>\n", f);
}

/* One entry of the legend at *x: its mark (drawn about the point 0,0) and
 * its words (plain ASCII); *x moves past them. */
static void legend_entry(FILE *f, double *x, double y, const char *mark, const char *words)
{
	fprintf(f,
		"<g transform=\"translate(%.1f %.1f)\">%s</g>\n<text x=\"%.1f\" "
		"y=\"%.1f\">%s</text>\n",
		*x, y, mark, *x + 24, y + 4, words);
	*x += 24 + 6.5 * (double)strlen(words) + 18;
}

/* The legend under the time axis: what each mark is, for those drawn, and
 * which direction is better. */
static void put_legend(FILE *f, const struct plot *p)
{
	double x = p->left, y = p->height - 16;
	fputs("<g class=\"legend\">\n", f);
	if (p->n)
		legend_entry(f, &x, y,
			     "<line x1=\"0\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"" COLOUR_SERIES
			     "\" stroke-width=\"2\"/><circle cx=\"9\" cy=\"0\" r=\"3.5\" "
			     "fill=\"" COLOUR_SERIES "\"/>",
			     "measurement");
	if (p->ind.has_baseline)
		legend_entry(f, &x, y,
			     "<line x1=\"0\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"" COLOUR_BASELINE
			     "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
			     "baseline");
	if (p->ind.n_targets)
		legend_entry(f, &x, y,
			     "<path d=\"M9 -5L14 0L9 5L4 0Z\" fill=\"" COLOUR_TARGET "\"/>",
			     "target (31 December)");
	fprintf(f, "<text class=\"direction\" x=\"%.1f\" y=\"%.1f\">%s</text>\n</g>\n", x, y + 4,
		kt_goal_direction_name(p->ind.direction));
}

static void put_svg(FILE *f, const struct plot *p)
{
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		"xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
		p->width, p->height, p->width, p->height);
	put_head(f, p);
	/* The value axis first: the time axis's line then lies over the grid
	 * line of the lowest tick. */
	put_value_axis(f, p);
	put_time_axis(f, p);
	put_baseline(f, p);
	put_targets(f, p);
	put_series(f, p);
	put_legend(f, p);
	fputs("</svg>\n", f);
}

/* ---- writing ------------------------------------------------------------ */

/* Write the image into the open file fd, synced, and close it. Returns 0 or
 * an errno value. */
static int put_file(int fd, const struct plot *p)
{
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int err = errno;
		close(fd);
		return err;
	}
	errno = 0;
	put_svg(f, p);
	int err = fflush(f) || ferror(f) ? (errno ? errno : EIO) : 0;
	/* Synced before the rename, so that after a crash the name holds the
	 * old file or the whole new one. */
	if (!err && fsync(fd))
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	return err;
}

/* Write the image to path: "-" for stdout, else a file replaced whole by
 * way of path.tmp-PID. Prints what failed, or the path written. Returns the
 * exit code. */
static int write_image(const char *path, const struct plot *p)
{
	if (strcmp(path, "-") == 0) {
		errno = 0;
		put_svg(stdout, p);
		if (fflush(stdout) || ferror(stdout)) {
			cli_error("writing the image to stdout: %s", strerror(errno ? errno : EIO));
			return EXIT_FAILURE_STORE;
		}
		return EXIT_OK;
	}
	size_t size = strlen(path) + 32;
	char *tmp = malloc(size);
	if (!tmp) {
		cli_error("--out: %s", kt_strerror(KT_ENOMEM));
		return EXIT_FAILURE_STORE;
	}
	snprintf(tmp, size, "%s.tmp-%ld", path, (long)getpid());
	int err = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		err = errno;
	} else {
		err = put_file(fd, p);
		if (!err && rename(tmp, path))
			err = errno;
		if (err)
			unlink(tmp);
	}
	free(tmp);
	if (err) {
		cli_error("--out: cannot write %s: %s; nothing written", path, strerror(err));
		return EXIT_FAILURE_STORE;
	}
	puts(path);
	return EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

enum { OPT_INDICATOR = CLI_OPT_MOMENT_END, OPT_OUT, OPT_WIDTH, OPT_HEIGHT };

struct plot_args {
	const char *db, *id, *out;
	char number[64];		/* the ID without its "/I1" */
	char label[KT_GOAL_LABEL_SIZE]; /* the indicator named; "" when none */
	int width, height;
	struct cli_moment moment;
};

/* The indicator label text names, as people may type it ("i1"), into out
 * in capitals. 1 when it is one, else 0. */
static int label_of(const char *text, char out[KT_GOAL_LABEL_SIZE])
{
	size_t n = strlen(text);
	if (n == 0 || n >= KT_GOAL_LABEL_SIZE)
		return 0;
	for (size_t k = 0; k <= n; k++)
		out[k] = (char)toupper((unsigned char)text[k]);
	return kt_goal_label_ok(out, n);
}

static int parse_size(const char *option, const char *text, int min, int *out)
{
	uint64_t v;
	if (cli_parse_u64(text, &v) || v < (uint64_t)min || v > SIZE_MAX_PX) {
		cli_error("%s: '%s' is not a size in pixels (%d to %d)", option, text, min,
			  SIZE_MAX_PX);
		return EXIT_INPUT;
	}
	*out = (int)v;
	return EXIT_OK;
}

/* ID may name the indicator too ("M-2025-001/I1"); it must not contradict
 * --indicator. */
static int split_id(struct plot_args *a)
{
	const char *slash = strchr(a->id, '/');
	char label[KT_GOAL_LABEL_SIZE];
	if (!slash)
		return EXIT_OK;
	size_t len = (size_t)(slash - a->id);
	if (len == 0 || len >= sizeof a->number || !label_of(slash + 1, label)) {
		cli_error("'%s' is not a goal and indicator (M-2025-001/I1)", a->id);
		return EXIT_INPUT;
	}
	if (a->label[0] && strcmp(a->label, label) != 0) {
		cli_error("give the indicator once: %s or --indicator %s", a->id, a->label);
		return EXIT_USAGE;
	}
	memcpy(a->number, a->id, len);
	a->number[len] = 0;
	memcpy(a->label, label, sizeof label);
	a->id = a->number;
	return EXIT_OK;
}

/* Returns 0, -1 when --help was printed, or an exit code. */
static int parse_plot(int argc, char **argv, struct plot_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "indicator", required_argument, NULL, OPT_INDICATOR },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		CLI_MOMENT_OPTIONS,
		{ 0, 0, 0, 0 },
	};
	int c, rc;
	while ((c = cli_getopt(argc, argv, opts, plot_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case OPT_INDICATOR:
			if (!label_of(optarg, a->label)) {
				cli_error("--indicator: '%s' is not an indicator label (I1, I2, …)",
					  optarg);
				return EXIT_INPUT;
			}
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_WIDTH:
		case OPT_HEIGHT:
			rc = c == OPT_WIDTH
				 ? parse_size("--width", optarg, WIDTH_MIN, &a->width)
				 : parse_size("--height", optarg, HEIGHT_MIN, &a->height);
			if (rc)
				return rc;
			break;
		default:
			rc = cli_moment_option(c, optarg, &a->moment);
			if (rc)
				return rc < 0 ? EXIT_INPUT : cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_error("which goal? give its number (see kontroll goal plot --help)");
		return EXIT_USAGE;
	}
	a->id = argv[optind++];
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (!a->out) {
		cli_error("--out is required: the SVG file to write, or - for stdout");
		return EXIT_USAGE;
	}
	if (!a->out[0]) {
		cli_error("--out: give a file name, or - for stdout");
		return EXIT_INPUT;
	}
	return split_id(a);
}

/* The indicator to draw into p->ind: the one labelled label, or the goal's
 * only one when label is "". */
static int pick_indicator(struct plot *p, const char *label)
{
	const char *nr = p->goal->number;
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n;
	if (!kt_goal_definition(p->goal, KT_TIME_MAX, &p->def)) {
		cli_error("%s is retracted: nothing to plot", nr);
		return EXIT_NOTFOUND;
	}
	/* The replay left out what took effect after --as-of. */
	kt_goal_indicators(p->goal, KT_TIME_MAX, ind, KT_GOAL_INDICATORS_MAX, &n);
	size_t known = n < KT_GOAL_INDICATORS_MAX ? n : KT_GOAL_INDICATORS_MAX;
	if (n == 0) {
		cli_error("%s has no indicator: nothing to plot", nr);
		return EXIT_NOTFOUND;
	}
	for (size_t k = 0; k < known; k++)
		if (label[0] ? strcmp(ind[k].label, label) == 0 : n == 1) {
			p->ind = ind[k];
			return EXIT_OK;
		}
	if (label[0]) {
		cli_error("%s has no indicator %s", nr, label);
		return EXIT_NOTFOUND;
	}
	struct cli_line labels = { "", 0 };
	for (size_t k = 0; k < known; k++)
		cli_line_add(&labels, "%s%s", k ? ", " : "", ind[k].label);
	cli_error("%s has %zu indicators (%s): name one with --indicator %s or %s/%s", nr, n,
		  labels.buf, ind[0].label, nr, ind[0].label);
	return EXIT_USAGE;
}

/* The measurements of p->ind into p->series; refused when there is nothing
 * at all to draw. */
static int load_series(struct plot *p)
{
	int err = kt_goal_series(p->goal, p->ind.label, &p->series, &p->n);
	if (err) {
		cli_error("reading %s: %s", p->goal->number, kt_strerror(err));
		return cli_exit_for(err);
	}
	if (!p->n && !p->ind.has_baseline && !p->ind.n_targets) {
		cli_error("%s/%s has no measurement, baseline or target: nothing to plot",
			  p->goal->number, p->ind.label);
		return EXIT_NOTFOUND;
	}
	return check_values(p);
}

int cli_goal_plot(int argc, char **argv)
{
	struct plot_args a = { NULL, NULL,	    NULL,	    "",
			       "",   WIDTH_DEFAULT, HEIGHT_DEFAULT, CLI_MOMENT_NOW };
	optind = 0; /* the dispatcher may have run getopt: start afresh */
	int rc = parse_plot(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	rc = cli_open_view_store(a.db, &s);
	if (rc)
		return rc;
	struct kt_goals model;
	struct plot p;
	memset(&p, 0, sizeof p);
	rc = cli_load_goals(s, &a.moment, &model);
	if (rc)
		goto close;
	rc = cli_find_goal(&model, a.id, &p.goal);
	if (!rc)
		rc = pick_indicator(&p, a.label);
	if (!rc)
		rc = load_series(&p);
	if (!rc) {
		lay_out(&p, a.width, a.height);
		rc = write_image(a.out, &p);
	}
	free(p.series);
	kt_goals_free(&model);
close:
	kt_store_close(s);
	return rc;
}
