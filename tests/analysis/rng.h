/* Seeded pseudo-random numbers (xoshiro256**) for synthetic data. */
#ifndef UAREPORT_RNG_H
#define UAREPORT_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* Uniform integer in [0, n), n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Standard normal deviate. */
double rng_normal(struct rng *r);

#endif
