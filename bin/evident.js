#!/usr/bin/env node
import { installCrashHandlers, main } from '../dist/cli/main.js';

installCrashHandlers();
process.exitCode = await main(process.argv);
