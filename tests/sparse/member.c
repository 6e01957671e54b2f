// SPDX-License-Identifier: GPL-2.0
/* A member of a user-space struct read through ->, bypassing the API. */
#include <linux/compiler.h>

struct sparse_req {
	int len;
};

int sparse_member(const struct sparse_req __user *req);
int sparse_member(const struct sparse_req __user *req)
{
	return req->len; /* expect: dereference of noderef expression */
}
