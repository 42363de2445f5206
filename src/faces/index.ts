import type { FastifyPluginAsync } from 'fastify';
import { rackspaceFace } from './rackspace/index.js';
import { mimecastFace } from './mimecast/index.js';
import cccFace from './ccc/index.js';
import { panelFace } from './panel/index.js';
import { operatorFace } from './operator/index.js';

/**
 * The API faces mounted on the app. Each is a Fastify plugin that owns its routes, its content-type
 * parsing, its authentication and its vendor's error shapes; faces never import each other.
 */
export const faces: FastifyPluginAsync[] = [rackspaceFace, mimecastFace, cccFace, panelFace, operatorFace];
