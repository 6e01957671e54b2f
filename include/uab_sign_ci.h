/*
 * The sign test's confidence interval for a median, distribution-free:
 * of n independent values sorted, [x(k), x(n+1-k)] (ranks from 1) covers
 * their median with probability at least level, where k is the largest
 * rank with P(Binomial(n, 1/2) < k) <= (1 - level) / 2. uabench
 * --calibrate and uareport both use it, so they print the same interval.
 */
#ifndef UAB_SIGN_CI_H
#define UAB_SIGN_CI_H

#include <math.h>
#include <stddef.h>

/* k, or 0 when n values are too few for an interval at level. */
static inline size_t uab_sign_ci_rank(size_t n, double level)
{
	double tail = (1 - level) / 2, cdf = 0;
	double log_p = (double)n * log(0.5);	/* log P(B = 0) */
	size_t k = 0;

	for (size_t j = 0; j < n; j++) {
		cdf += exp(log_p);		/* P(B <= j) */
		if (cdf > tail)
			break;
		k = j + 1;
		log_p += log((double)(n - j) / (double)(j + 1));
	}
	return k;
}

#endif
