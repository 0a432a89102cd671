#!/usr/bin/env node
// The CLI is TypeScript run through tsx (no build step): register tsx's loader, then load it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
