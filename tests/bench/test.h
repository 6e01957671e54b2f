/* Common includes for the cmocka unit tests of bench/. */
#ifndef UAB_TEST_H
#define UAB_TEST_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#endif
