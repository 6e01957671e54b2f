#include "text_check.h"

#include <string.h>

#define UTF8_BOM "\xef\xbb\xbf"

const char *text_line_problem(const char *s, size_t len, size_t lineno)
{
	if (lineno == 1 && len >= 3 && !memcmp(s, UTF8_BOM, 3))
		return "the file starts with a UTF-8 byte-order mark (\\xef\\xbb\\xbf): "
		       "save it without one (a spreadsheet adds it)";
	if (len && s[len - 1] == '\r')
		return "CRLF line endings (\\r\\n): save the file with LF endings "
		       "(a spreadsheet or a Windows editor wrote it)";
	if (memchr(s, '\0', len))
		return "a NUL byte (\\0) in the line: not text";
	return NULL;
}
