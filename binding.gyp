# Native risk backends, and the FIX codec in riskline_cpu. tools/native/build.sh runs node-gyp with
# -Dopenblas=1 when OpenBLAS is installed and -Dnvcc=<path> when native/cuda/toolkit.sh finds a CUDA
# compiler.
{
  'variables': {
    'openblas%': 0,
    'nvcc%': '',
  },
  'includes': ['native/cuda/cuda.gypi'],
  'targets': [
    {
      'target_name': 'riskline_cpu',
      'sources': [
        'native/src/addon.cc',
        'native/src/scenarios.cc',
        'native/src/revalue.cc',
        'native/src/tail.cc',
        'native/src/blas.cc',
        'native/src/fix_codec.cc',
        'native/src/fix_binding.cc',
      ],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
      'cflags!': ['-fno-exceptions', '-O2', '-O3'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=c++17', '-std=gnu++20', '-std=c++20'],
      # x86-64-v2 runs on every x86-64 machine sold since 2009 (the random draws add AVX2 and AVX-512
      # forms chosen at run time); no fast-math and no FMA contraction, so results do not depend on how
      # a loop is vectorised or split over threads. -fno-math-errno only lets sqrt vectorise.
      'cflags_cc': ['-std=c++17', '-O3', '-march=x86-64-v2', '-ffp-contract=off', '-fno-math-errno', '-fexceptions', '-pthread', '-Wall', '-Wextra'],
      'ldflags': ['-pthread'],
      'conditions': [
        ['openblas==1', {
          'defines': ['RISKLINE_OPENBLAS'],
          'include_dirs': ['/usr/include/x86_64-linux-gnu/openblas-pthread'],
          'libraries': ['-lopenblas'],
        }],
      ],
    },
  ],
}
