// The one CUDA context of the addon: a stream, device buffers allocated once and grown when a job
// needs more, and two pinned staging buffers through which typed arrays cross the bus, so a
// job's copies overlap the host-side memcpy and need no page-locking of the caller's memory.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>

namespace riskline {

/** A CUDA error as one line: "cudaErrorMemoryAllocation: out of memory (cudaMalloc of 4.0 GB)". */
class CudaError : public std::runtime_error {
 public:
  CudaError(cudaError_t e, const std::string& what);
};

void check(cudaError_t e, const char* what);

/** What the device is, or why there is none ("cudaErrorInsufficientDriver: no CUDA driver on this machine"). */
struct Probe {
  bool ok = false;
  std::string reason;
  int devices = 0;
  int runtimeVersion = 0, driverVersion = 0;
  std::string name;
  int major = 0, minor = 0, multiprocessors = 0;
  size_t memory = 0;
};

const Probe& probe();

/** memcpy, split over up to 8 threads when large (staging copies are bound by one core's bandwidth). */
void copyBytes(void* dst, const void* src, size_t bytes);

enum Slot : int {
  kCholesky, kFactorReturns, kTScale, kLoadStart, kLoadFactor, kLoadValue, kIdioSigma, kReturns, kOut,
  kRow, kModel, kIsCall, kParams, kVolShift, kToday, kMatrix0, kMatrix1, kWeights, kPnl, kSlots
};

class Gpu {
 public:
  static Gpu& get();
  /** Held for a whole job: jobs share the buffers, so they run one at a time. */
  std::mutex lock;
  cudaStream_t stream = nullptr;

  /** Device memory of at least `bytes` for `slot` (contents lost when it grows). */
  void* slot(Slot slot, size_t bytes);
  template <typename T>
  T* slotAs(Slot s, size_t count) {
    return static_cast<T*>(slot(s, count * sizeof(T)));
  }
  /** Host → device through pinned staging, enqueued on the stream (host memory is free once it returns). */
  void upload(void* dev, const void* host, size_t bytes);
  /** Device → host through pinned staging; returns once `host` holds the data. */
  void download(void* host, const void* dev, size_t bytes);
  /** Staging buffer b (0 or 1) of at least `bytes`, after the GPU has finished reading it. */
  void* staging(int b, size_t bytes);
  /** Marks staging b as in use by the work enqueued so far. */
  void release(int b);
  void sync();
  size_t stagingBytes() const { return stagingSize_; }

 private:
  Gpu();
  void* slots_[kSlots] = {};
  size_t sizes_[kSlots] = {};
  void* pinned_[2] = {};
  cudaEvent_t done_[2] = {};
  size_t stagingSize_ = 0;
};

}  // namespace riskline
