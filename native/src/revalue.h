// Full revaluation in a chosen vector form, for tests that every form gives the same bits.
#pragma once
#include "kernels.h"

namespace riskline {

enum class RevalueForm { Plain, Avx2, Avx512 };

/** revalue() with option rows in `form`; false (nothing written) where this CPU or build lacks it. */
bool revalueIn(RevalueForm form, const RevaluationJob& job, int threads);

}  // namespace riskline
