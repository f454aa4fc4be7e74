#!/usr/bin/env bash
# goal_plot.sh — `kontroll goal plot`: the SVG of one indicator (well-formed
# XML; each measurement, the baseline and each target with their values;
# texts from the store escaped), --out - to stdout, the ID/I1 form, the
# same bytes from the same store, --as-of, and the errors: no --out, an
# indicator not named among several, no indicator, nothing to plot, an
# unknown goal, bad option values, and an unwritable path leaving nothing
# behind.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user KONTROLL_ACTOR=kari
E2E_HELPERS="setup lacks xml_ok expect_xml"

# setup ARGS... — run kontroll quietly (setup, not a check); a failure is
# recorded as a failed check.
setup() {
	if ! "$KONTROLL" "$@" >/dev/null 2>"$E2E_SCRATCH/setup-err"; then
		fail "kontroll $* (setup)" "$(cat "$E2E_SCRATCH/setup-err")"
	fi
}

# lacks FILE REGEX — no line of FILE matches (FILE need not exist).
lacks() {
	! grep -Eq -- "$2" "$1" 2>/dev/null
}

# Well-formedness is checked with python3's XML parser, else xmllint; with
# neither the check is skipped (and not counted), with a note.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import xml.dom.minidom' 2>/dev/null; then
	XML_CHECK=python3
elif command -v xmllint >/dev/null 2>&1; then
	XML_CHECK=xmllint
else
	XML_CHECK=""
	echo "note: neither python3 nor xmllint: the SVG is not checked for well-formed XML"
fi

xml_ok() {
	if [ "$XML_CHECK" = python3 ]; then
		python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
	else
		xmllint --noout "$1"
	fi
}

# expect_xml FILE — FILE is well-formed XML (one check, when it can be made).
expect_xml() {
	[ -n "$XML_CHECK" ] || return 0
	if xml_ok "$1" 2>"$E2E_SCRATCH/xml-err"; then pass "$1 is well-formed XML"; else
		fail "$1 should be well-formed XML" "$(cat "$E2E_SCRATCH/xml-err")"; fi
}

new_store

# M-2025-001  one indicator, baseline, four targets, two measurements
# M-2025-002  texts with & < > " ', two indicators
# M-2025-003  no indicator
# M-2025-004  an indicator with no measurement, baseline or target
setup goal define --area Finans --level mål --text "Redusere sykefraværet" --period 2025-2028 \
	--indicator Sykefravær --unit % --direction lower --baseline 11.2 \
	--baseline-date 2024-12-31 --target 2025=10.2 --target 2026=9.2 --target 2027=8.2 \
	--target 2028=7.2
setup goal measure M-2025-001 --value 10.8 --date 2025-12-31
setup goal measure M-2025-001 --value 11,5 --date 2025-06-30
setup goal define --area Finans --level mål --text "Kostnad & <kvalitet> \"sitat\" 'x'" \
	--period 2025-2026 --indicator "Pris & <enhet>" --unit "kr/m²" --direction higher \
	--target 2025=100 --target 2026=120
setup goal indicator M-2025-002 --name Andre --direction lower --baseline 3
setup goal define --area Finans --level mål --text "Uten indikator" --period 2025
setup goal define --area Finans --level mål --text "Tom" --period 2025 --indicator Tom \
	--direction lower

# ---- the image ----

before=$(fingerprint)
run goal plot M-2025-001 --out plot.svg
expect_exit 0
expect_stdout_is "plot.svg"
expect_stderr_empty
expect_unchanged "$before"
expect_xml plot.svg
expect_file_match "an SVG 1.1 document" plot.svg '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="800" height="450"'
expect_file_match "the title line" plot.svg '<text class="title"[^>]*>M-2025-001/I1 Sykefravær \(%\)</text>'
expect_file_match "the goal as worded" plot.svg '<text class="subtitle"[^>]*>Redusere sykefraværet</text>'
expect_eq "two measurement points" 2 "$(grep -c 'class="measurement"' plot.svg)"
expect_file_match "the measurement of 30.06.2025" plot.svg '<circle class="measurement" [^>]*data-date="2025-06-30" data-value="11.5"><title>30.06.2025: 11,5 %</title></circle>'
expect_file_match "the measurement of 31.12.2025" plot.svg '<circle class="measurement" [^>]*data-date="2025-12-31" data-value="10.8"><title>31.12.2025: 10,8 %</title></circle>'
expect_file_match "a line through the measurements" plot.svg '<polyline class="series" '
expect_file_match "the baseline, dashed" plot.svg '<line class="baseline" [^>]*stroke-dasharray="6 4" data-value="11.2" data-date="2024-12-31"/>'
expect_file_match "the baseline labelled" plot.svg '<text class="baseline-label"[^>]*>baseline 11,2 % \(31.12.2024\)</text>'
expect_eq "four targets" 4 "$(grep -c 'class="target"' plot.svg)"
for t in 2025=10.2 2026=9.2 2027=8.2 2028=7.2; do
	expect_file_match "the target of ${t%=*}" plot.svg "<path class=\"target\" data-year=\"${t%=*}\" data-value=\"${t#*=}\""
done
expect_file_match "a year label" plot.svg '<text class="tick-label"[^>]*text-anchor="middle">2026</text>'
expect_file_match "the direction in the legend" plot.svg '<text class="direction"[^>]*>lower is better</text>'

# The same store gives the same bytes, to a file and to stdout.
run goal plot M-2025-001 --out again.svg
expect_exit 0
expect_true "two runs give the same bytes" cmp -s plot.svg again.svg
run goal plot m-2025-001 --out -
expect_exit 0
expect_stderr_empty
expect_true "--out - writes the same image to stdout" cmp -s plot.svg "$OUT_FILE"

# --as-of: the measurement of 31 December is not yet made on 1 July.
run goal plot M-2025-001 --as-of 2025-07-01 --out asof.svg
expect_exit 0
expect_file_match "as of 1 July: the June measurement" asof.svg 'data-date="2025-06-30" data-value="11.5"'
expect_true "as of 1 July: not the December measurement" lacks asof.svg 'data-date="2025-12-31"'

run goal plot M-2025-001 --width 320 --height 240 --out small.svg
expect_exit 0
expect_file_match "--width and --height" small.svg 'width="320" height="240" viewBox="0 0 320 240"'

# ---- texts escaped; ID/I1 ----

run goal plot M-2025-002/i1 --out esc.svg
expect_exit 0
expect_stdout_is "esc.svg"
expect_xml esc.svg
expect_file_match "the indicator's name escaped" esc.svg '<title>M-2025-002/I1 Pris &amp; &lt;enhet&gt; \(kr/m²\)</title>'
expect_file_match "the goal's text escaped" esc.svg '<desc>Kostnad &amp; &lt;kvalitet&gt; &quot;sitat&quot; &apos;x&apos;</desc>'
expect_true "no raw < from the store" lacks esc.svg '<enhet|<kvalitet'
expect_file_match "higher is better" esc.svg '>higher is better</text>'
expect_true "the targets without measurements or baseline" lacks esc.svg 'class="(measurement|baseline)"'
run goal plot M-2025-002 --indicator I1 --out esc2.svg
expect_exit 0
expect_true "ID --indicator I1 draws what ID/I1 does" cmp -s esc.svg esc2.svg
run goal plot M-2025-002/I1 --indicator i1 --out esc3.svg
expect_exit 0
run goal plot M-2025-002/I2 --out i2.svg
expect_exit 0
expect_file_match "the second indicator" i2.svg '<line class="baseline" [^>]*data-value="3"/>'

# ---- errors ----

run goal plot M-2025-001
expect_error 2 '--out is required'
run goal plot --out x.svg
expect_error 2 'which goal'
run goal plot M-2025-001 extra --out x.svg
expect_error 2 "unexpected argument 'extra'"
run goal plot M-2025-002 --out x.svg
expect_error 2 'M-2025-002 has 2 indicators \(I1, I2\): name one with --indicator'
run goal plot M-2025-002/I2 --indicator I1 --out x.svg
expect_error 2 'give the indicator once'
run goal plot M-2025-002/ --out x.svg
expect_error 3 'is not a goal and indicator'
run goal plot M-2025-002 --indicator I9 --out x.svg
expect_error 5 'M-2025-002 has no indicator I9'
run goal plot M-2025-003 --out x.svg
expect_error 5 'M-2025-003 has no indicator: nothing to plot'
run goal plot M-2025-009 --out x.svg
expect_error 5 "no goal 'M-2025-009'"
expect_true "no file for a failed plot" test ! -e x.svg

# A failed run leaves the file it would have replaced as it was.
printf 'keep\n' >keep.svg
run goal plot M-2025-004 --out keep.svg
expect_error 5 'M-2025-004/I1 has no measurement, baseline or target: nothing to plot'
expect_eq "keep.svg untouched" keep "$(cat keep.svg)"

run goal plot M-2025-001 --width 10 --out x.svg
expect_error 3 "--width: '10' is not a size in pixels"
run goal plot M-2025-001 --height abc --out x.svg
expect_error 3 "--height: 'abc' is not a size in pixels"
run goal plot M-2025-001 --as-of 2025-13-01 --out x.svg
expect_error 3 '--as-of'
run goal plot M-2025-001 --indicator 1x --out x.svg
expect_error 3 "--indicator: '1x' is not an indicator label"
run goal plot M-2025-001 --out ''
expect_error 3 '--out: give a file name'
run goal plot M-2025-001 --bogus --out x.svg
expect_error 2 'unknown option --bogus'

# Unwritable: a directory that does not exist, and a directory in the
# file's place (the rename fails after the temporary file was written).
run goal plot M-2025-001 --out no-such-dir/plot.svg
expect_error 1 'cannot write no-such-dir/plot.svg: No such file or directory; nothing written'
mkdir adir
run goal plot M-2025-001 --out adir
expect_error 1 'cannot write adir: Is a directory; nothing written'
expect_true "no temporary file left behind" test -z "$(find . -name '*.tmp-*' -print)"
expect_true "adir still empty" test -z "$(ls -A adir)"

run goal plot --help
expect_exit 0
expect_stdout_match '^usage: kontroll goal plot ID '

finish
