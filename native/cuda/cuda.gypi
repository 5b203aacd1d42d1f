# The cuda risk backend's addon, included by the top-level binding.gyp. It builds only when the
# gyp variable `nvcc` names a compiler (native/cuda/toolkit.sh's last line); when it is empty
# there is no target, and Riskline runs on cpu or ts. The kernels are compiled for sm_80 and sm_90
# with sm_90 PTX for newer GPUs, without fast math (revaluations must agree with the reference
# within 1e-9) and without fused multiply-adds (the reference's sums round each product). cudart
# is linked statically: the .node needs no libcudart at run time and loads without a driver.
{
  'conditions': [
    ['nvcc!=""', {
      'targets': [
        {
          'target_name': 'riskline_cuda',
          'variables': {
            'cuda_home': '<!(dirname "$(dirname "<(nvcc)")")',
            'nvcc_flags': [
              '-O3', '-std=c++17', '--fmad=false', '-Xcompiler', '-fPIC',
              '-gencode=arch=compute_80,code=sm_80',
              '-gencode=arch=compute_90,code=sm_90',
              '-gencode=arch=compute_90,code=compute_90',
            ],
          },
          'sources': [
            'scenarios.cu',
            'revalue.cu',
            'device.cc',
            'addon.cc',
          ],
          'include_dirs': [
            '<!(node -p "require(\'path\').dirname(require.resolve(\'node-addon-api/package.json\'))")',
            '<(cuda_home)/include',
          ],
          'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
          'cflags_cc': ['-std=c++17', '-fexceptions', '-O2'],
          'cflags_cc!': ['-fno-exceptions', '-std=gnu++17'],
          'rules': [
            {
              'rule_name': 'nvcc',
              'extension': 'cu',
              'inputs': ['kernels.h', 'philox.cuh'],
              'outputs': ['<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).cu.o'],
              'action': ['<(nvcc)', '<@(nvcc_flags)', '-c', '<(RULE_INPUT_PATH)', '-o', '<@(_outputs)'],
              'message': 'nvcc <(RULE_INPUT_NAME)',
              'process_outputs_as_sources': 1,
            },
          ],
          'libraries': ['<(cuda_home)/lib/libcudart_static.a', '-ldl', '-lrt', '-lpthread'],
        },
      ],
    }],
  ],
}
