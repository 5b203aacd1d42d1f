// CUDA context, buffers and staged copies (see device.h).
#include "device.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace riskline {

namespace {
constexpr size_t kStagingBytes = size_t{32} << 20;

std::string describe(cudaError_t e) {
  if (e == cudaErrorInsufficientDriver) return "no CUDA driver on this machine";
  if (e == cudaErrorNoDevice) return "no CUDA device on this machine";
  return cudaGetErrorString(e);
}
}  // namespace

void copyBytes(void* dst, const void* src, size_t bytes) {
  // One core copies pageable memory at 5-10 GB/s, a fifth of the bus: large copies are split.
  constexpr size_t kPerThread = size_t{4} << 20;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t parts = std::min<size_t>({cores, 8, bytes / kPerThread});
  if (parts <= 1) {
    std::memcpy(dst, src, bytes);
    return;
  }
  std::vector<std::thread> team;
  const size_t step = (bytes + parts - 1) / parts;
  for (size_t p = 1; p < parts; p++) {
    const size_t off = p * step, n = std::min(step, bytes - off);
    team.emplace_back([=] { std::memcpy(static_cast<char*>(dst) + off, static_cast<const char*>(src) + off, n); });
  }
  std::memcpy(dst, src, step);
  for (auto& t : team) t.join();
}

CudaError::CudaError(cudaError_t e, const std::string& what)
    : std::runtime_error(std::string(cudaGetErrorName(e)) + ": " + describe(e) + " (" + what + ")") {}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw CudaError(e, what);
}

const Probe& probe() {
  static const Probe p = [] {
    Probe r;
    cudaRuntimeGetVersion(&r.runtimeVersion);
    const cudaError_t e = cudaGetDeviceCount(&r.devices);
    cudaDriverGetVersion(&r.driverVersion);
    if (e != cudaSuccess || r.devices == 0) {
      const cudaError_t why = e != cudaSuccess ? e : cudaErrorNoDevice;
      r.reason = std::string(cudaGetErrorName(why)) + ": " + describe(why);
      r.devices = 0;
      cudaGetLastError();  // the probe's error is reported, not left sticky
      return r;
    }
    cudaDeviceProp prop{};
    const cudaError_t pe = cudaGetDeviceProperties(&prop, 0);
    if (pe != cudaSuccess) {
      r.reason = std::string(cudaGetErrorName(pe)) + ": " + describe(pe);
      return r;
    }
    r.ok = true;
    r.name = prop.name;
    r.major = prop.major;
    r.minor = prop.minor;
    r.multiprocessors = prop.multiProcessorCount;
    r.memory = prop.totalGlobalMem;
    return r;
  }();
  return p;
}

Gpu::Gpu() {
  check(cudaSetDevice(0), "cudaSetDevice");
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  for (auto& e : done_) check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
}

Gpu& Gpu::get() {
  static Gpu gpu;  // never destroyed: the process's exit tears the context down
  return gpu;
}

void* Gpu::slot(Slot s, size_t bytes) {
  bytes = std::max<size_t>(bytes, 8);
  if (sizes_[s] >= bytes) return slots_[s];
  if (slots_[s]) {
    check(cudaStreamSynchronize(stream), "cudaStreamSynchronize before growing a buffer");
    check(cudaFree(slots_[s]), "cudaFree");
    slots_[s] = nullptr;
    sizes_[s] = 0;
  }
  const size_t grown = bytes + bytes / 4;  // headroom so a slightly larger job does not reallocate
  check(cudaMalloc(&slots_[s], grown), ("cudaMalloc of " + std::to_string(grown >> 20) + " MiB").c_str());
  sizes_[s] = grown;
  return slots_[s];
}

void* Gpu::staging(int b, size_t bytes) {
  check(cudaEventSynchronize(done_[b]), "cudaEventSynchronize");
  bytes = std::max(bytes, kStagingBytes);
  if (stagingSize_ < bytes) {
    for (int i = 0; i < 2; i++) {
      check(cudaEventSynchronize(done_[i]), "cudaEventSynchronize");
      if (pinned_[i]) check(cudaFreeHost(pinned_[i]), "cudaFreeHost");
      pinned_[i] = nullptr;
    }
    stagingSize_ = 0;
    for (auto& p : pinned_) check(cudaHostAlloc(&p, bytes, cudaHostAllocDefault), "cudaHostAlloc");
    stagingSize_ = bytes;
  }
  return pinned_[b];
}

void Gpu::release(int b) { check(cudaEventRecord(done_[b], stream), "cudaEventRecord"); }

void Gpu::sync() { check(cudaStreamSynchronize(stream), "cudaStreamSynchronize"); }

void Gpu::upload(void* dev, const void* host, size_t bytes) {
  const auto* src = static_cast<const char*>(host);
  auto* dst = static_cast<char*>(dev);
  for (size_t off = 0, i = 0; off < bytes; i++) {
    const int b = static_cast<int>(i & 1);
    char* stage = static_cast<char*>(staging(b, 0));
    const size_t n = std::min(stagingSize_, bytes - off);
    copyBytes(stage, src + off, n);
    check(cudaMemcpyAsync(dst + off, stage, n, cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync H2D");
    release(b);
    off += n;
  }
}

void Gpu::download(void* host, const void* dev, size_t bytes) {
  const auto* src = static_cast<const char*>(dev);
  auto* dst = static_cast<char*>(host);
  size_t pendingOff = 0, pendingLen = 0;
  int pendingBuf = -1;
  for (size_t off = 0, i = 0; off < bytes || pendingBuf >= 0; i++) {
    const int b = static_cast<int>(i & 1);
    size_t n = 0;
    if (off < bytes) {
      char* stage = static_cast<char*>(staging(b, 0));
      n = std::min(stagingSize_, bytes - off);
      check(cudaMemcpyAsync(stage, src + off, n, cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync D2H");
      release(b);
    }
    // While chunk i crosses the bus, the host copies chunk i − 1 out of the other staging buffer.
    if (pendingBuf >= 0) {
      check(cudaEventSynchronize(done_[pendingBuf]), "cudaEventSynchronize");
      copyBytes(dst + pendingOff, pinned_[pendingBuf], pendingLen);
    }
    pendingBuf = n > 0 ? b : -1;
    pendingOff = off;
    pendingLen = n;
    off += n;
  }
}

}  // namespace riskline
