/*
 * What makes a line of an input file no text uareport reads (issue 26):
 * a NUL byte, which would cut the value at it; CRLF line endings and a
 * UTF-8 byte-order mark, which a spreadsheet adds when it saves a CSV.
 * Both readers (result and probe files) refuse them by name: the files
 * are written by uabench and uab-probe, byte for byte, and a file that
 * went through a spreadsheet is no longer their output.
 */
#ifndef UAREPORT_TEXT_CHECK_H
#define UAREPORT_TEXT_CHECK_H

#include <stddef.h>

/*
 * Line s[0..len), without its '\n', the lineno-th of its file (from 1):
 * NULL when it is text, else why not. The reader stops there: the rest of
 * such a file (CRLF throughout, or binary) would only repeat it.
 */
const char *text_line_problem(const char *s, size_t len, size_t lineno);

#endif
