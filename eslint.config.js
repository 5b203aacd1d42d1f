import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'build/', '.cache/', 'bench/results/', 'gateways/web/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      // engine/ is pure: time and randomness come from events and seeds.
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'engine/ reads no wall clock: use event time' },
        { object: 'Math', property: 'random', message: 'engine/ uses seeded generators only' },
        { object: 'performance', property: 'now', message: 'engine/ reads no wall clock' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:net', 'node:http', 'node:fs', 'ws', 'pg', 'kafkajs', '../streams/*', '../gateways/*'] },
      ],
    },
  },
);
