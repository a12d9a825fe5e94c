import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the checked-in SDL (the API's source of truth). Runs before build, test and dev,
// so the generated types can never drift from ../graphql/schema.graphql.
const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['src/api/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
};

export default config;
